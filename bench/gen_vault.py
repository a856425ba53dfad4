#!/usr/bin/python3
"""Generate a deterministic vault for the benchmarks.

    gen_vault.py OUT_DIR PEOPLE MEETINGS [SEED]

People notes are shaped like a real contact note (frontmatter, Key Facts,
Recent Context, a ```tasks block `path includes NAME` + `not done`, Topics,
Key Decisions); meeting notes carry their attendees' names in the file name
and in `attendees:`, with open, done, dated and wikilinked tasks. Daily notes
hold a few tasks that link people. The same arguments give the same bytes.
"""
import os
import random
import sys

FIRST = """Aaron Abigail Adele Adrian Aisha Alan Alba Alec Alice Amara Amir Ana
Andrea Andrei Anika Anton Arjun Asha Astrid Aurora Ben Bianca Boris Bruno
Camila Carla Carlos Chen Chloe Clara Colin Dana Daniel Dara David Diego Dina
Dmitri Elena Eli Elif Ella Emil Emma Erik Esther Ethan Eva Farah Felix Fiona
Florin Gabriel Gemma George Greta Hana Hannah Hector Helga Hiro Ian Ida Igor
Ines Ingrid Irene Isaac Ivan Jana Jasper Javier Jin Joan Jonas Jorge Julia
Kai Kamal Karin Kasia Kenji Kira Lars Laura Lea Leo Lina Liam Lotte Luca
Lucia Luis Maja Malik Mara Marco Maria Mark Marta Mateo Maya Mei Mila Milan
Mira Nadia Nico Nina Noah Nora Olga Oliver Omar Oscar Paula Pedro Petra Pia
Priya Rafael Ravi Rosa Ruben Ruth Sam Sara Sean Selin Sofia Sonia Stefan
Sven Tara Teo Tess Theo Tomas Una Uri Valentina Vera Victor Vikram Wanda
Wei Will Xenia Yara Yusuf Zara Zoe Zoran Adil Bea Cyril Edda Gil Hugo Iris
Jude Kofi Lena Mads Nils Orla Pavel Quinn Remy Siri Timo Ugo Vito Wren Yann
Zeno Anouk Bram Cleo Dirk Eike Fenna Gert Hedy Ivo Joost Kees Lieke Maud
Noor Otto Pim Roos Saar Tijn Uma Vince Wout Xander Yfke Zef""".split()
LAST = """Abara Adams Ahmed Almeida Andersen Arslan Bakker Banerjee Barros Bauer
Becker Berg Bianchi Blanc Brandt Brooks Bui Campbell Carvalho Castro Chen
Cohen Costa Cruz Dahl Demir Diaz Dijkstra Dubois Duarte Eriksen Evans Falk
Farouk Feldman Ferrari Fischer Flores Fontaine Garcia Gomez Gonzalez Grant
Gupta Haas Hansen Hartmann Hayes Herrera Hoffmann Horvat Huang Ibrahim Ito
Ivanov Jansen Jensen Jovanovic Kaur Keller Khan Kim Klein Kovacs Kowalski
Kumar Lange Larsen Laurent Lee Lehmann Lindqvist Lopez Lund Maier Mancini
Marchetti Martin Mehrotra Meyer Moreau Morales Muller Nagy Nakamura Natarajan
Navarro Nguyen Nielsen Novak Okafor Olsen Ortiz Ozturk Park Patel Peeters
Perez Petrov Pham Popescu Quinn Rahman Ramos Reyes Ricci Rossi Ruiz Russo
Sahin Santos Sato Schmidt Schneider Schulz Shah Silva Singh Smith Solberg
Sousa Suzuki Tanaka Taylor Thomas Torres Tran Urban Varga Vargas Vogel Wagner
Walsh Wang Weber Whitfield Wilson Wolf Wong Yamamoto Yilmaz Young Zhang Zimmer
Acosta Baptiste Caron Dalton Egger Fabbri Gallo Horne Iqbal Jaramillo Kruger
Lindgren Mora Nash Oyelaran Pires Rinaldi Sorensen Toth Umar Vidal Wetzel
Xu Yoon Zeller Aydin Berglund Conti Delgado Engel Fuchs Greco Holm Ilic
Jung Koch Lorenz Marino Nowak Orsini Pohl Roth Stein Thiel Ulrich Voss Wirth""".split()
TOPICS = """storage roadmap|GPU capacity|pricing review|security audit|data residency
|partner onboarding|quarterly business review|benchmark results|renewal
terms|architecture deep dive|hiring plan|marketplace listing|support
escalation|migration plan|reference customer|conference booth""".replace(
    "\n", " ").split("|")
WORDS = """aligned on the plan to accelerate adoption across regional teams while
keeping the budget flat and the timeline realistic for the next two quarters
with clear owners for each workstream and a weekly review of the open risks
including capacity procurement networking and the compliance questions raised
by legal during the last steering meeting""".split()


def sentence(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def date(rng, lo=0, hi=400):
    d = 20000 + rng.randint(lo, hi)      # days since 1970: around 2024-2025
    import datetime
    return (datetime.date(1970, 1, 1) + datetime.timedelta(days=d)).isoformat()


def names(count, rng):
    pool = [f + " " + l for f in FIRST for l in LAST]
    if count > len(pool):
        sys.exit("at most %d people" % len(pool))
    rng.shuffle(pool)
    return pool[:count]


def task(rng, people, text=None):
    status = rng.choice("     x/-")
    t = text or sentence(rng, rng.randint(4, 9))
    if rng.random() < 0.3:
        t += " [[%s]]" % rng.choice(people)
    if rng.random() < 0.4:
        t += " \U0001F4C5 " + date(rng, 300, 500)
    if rng.random() < 0.1:
        t += " #followup"
    return "- [%s] %s\n" % (status, t)


def person(rng, name, people):
    tags = ["type/people"] + (["tier/%d" % rng.randint(1, 3)]
                              if rng.random() < 0.5 else [])
    out = ["---\ntype: people\nemail: ''\ncompany: ''\n",
           "title: %s\n" % name,
           "last_contact: '%s'\n" % date(rng) if rng.random() < 0.9 else "",
           "created: '%s'\n" % date(rng),
           "tags:\n" + "".join("- %s\n" % t for t in tags), "---\n\n",
           "# %s\n\n## Key Facts\n\n" % name]
    for _ in range(rng.randint(3, 6)):
        out.append("- %s %s.\n\n" % (name, sentence(rng, rng.randint(20, 45))))
    out.append("## Recent Context\n\n")
    for _ in range(rng.randint(3, 7)):
        out.append("- %s: %s...\n\n" % (date(rng), sentence(rng, 15)))
    out.append("## Open Tasks\n```tasks\npath includes %s\nnot done\n```\n\n"
               % name)
    for _ in range(rng.randint(0, 3)):
        out.append(task(rng, people))
    out.append("\n## Topics\n\n")
    for _ in range(rng.randint(5, 12)):
        out.append("- %s\n\n" % sentence(rng, rng.randint(8, 16)))
    out.append("## Key Decisions\n\n")
    for _ in range(rng.randint(3, 8)):
        out.append("- %s.\n\n" % sentence(rng, rng.randint(15, 30)))
    return "".join(out)


def meeting(rng, day, attendees, people):
    topic = rng.choice(TOPICS)
    out = ["---\ndate: %s\nattendees:\n" % day]
    out += ['  - "[[%s]]"\n' % a for a in attendees]
    out.append("---\n\n# %s\n\n## Notes\n\n" % topic)
    for _ in range(rng.randint(3, 8)):
        out.append("- %s\n" % sentence(rng, rng.randint(10, 25)))
    out.append("\n## Action items\n\n")
    for _ in range(rng.randint(1, 4)):
        out.append(task(rng, people))
    return topic, "".join(out)


def main():
    out, npeople, nmeetings = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 1)
    people = names(npeople, rng)
    for d in ("People", "Meetings", "Daily", ".obsidian"):
        os.makedirs(os.path.join(out, d), exist_ok=True)
    with open(os.path.join(out, ".obsidian", "app.json"), "w") as f:
        f.write("{}\n")
    for name in people:
        with open(os.path.join(out, "People", name + ".md"), "w") as f:
            f.write(person(rng, name, people))
    for i in range(nmeetings):
        day = date(rng, 0, 420)
        attendees = rng.sample(people, rng.randint(1, 3))
        topic, text = meeting(rng, day, attendees, people)
        folder = os.path.join(out, "Meetings", day[:4])
        os.makedirs(folder, exist_ok=True)
        fname = "%s %s - %s #%d.md" % (day, topic, ", ".join(attendees), i)
        with open(os.path.join(folder, fname), "w") as f:
            f.write(text)
    for i in range(max(1, nmeetings // 20)):
        with open(os.path.join(out, "Daily", date(rng, 0, 420) + " %d.md" % i),
                  "w") as f:
            f.write("# Daily\n\n" + "".join(task(rng, people)
                                            for _ in range(3)))


if __name__ == "__main__":
    main()
