// A stand-in for the `obsidian` module, for running Obsidian Tasks' task and query code under
// node (tests/differential). Only what Tasks touches when its modules load, or when a task is
// read and a query run, does anything; the rest are empty classes and no-ops so that the
// imports resolve. Obsidian itself is not open source: the behaviour here follows its API
// documentation (obsidian.d.ts), not its code.
import moment from 'moment';

export { moment };

class Empty {
    constructor() {}
}
export class App extends Empty {}
export class Component extends Empty {
    load() {}
    unload() {}
    register() {}
    registerEvent() {}
    addChild(c) {
        return c;
    }
}
export class Plugin extends Component {}
export class PluginSettingTab extends Empty {}
export class Modal extends Empty {}
export class Notice extends Empty {}
export class Setting extends Empty {}
export class Menu extends Empty {}
export class MenuItem extends Empty {}
export class MarkdownRenderChild extends Component {}
export class MarkdownView extends Empty {}
export class MarkdownRenderer {
    static render() {
        return Promise.resolve();
    }
    static renderMarkdown() {
        return Promise.resolve();
    }
}
export class EditorSuggest extends Empty {}
export class TextComponent extends Empty {}
export class TextAreaComponent extends Empty {}
export class View extends Empty {}
export class Workspace extends Empty {}
export class Vault extends Empty {}
export class MetadataCache extends Empty {}
export class TAbstractFile extends Empty {}
export class TFile extends TAbstractFile {}
export class Keymap {
    static isModEvent() {
        return false;
    }
}
export const editorInfoField = {};

export function debounce(fn) {
    return fn;
}
export function getLanguage() {
    return 'en';
}
export function setIcon() {}
export function setTooltip() {}
export function sanitizeHTMLToDom() {
    return null;
}
export function prepareSimpleSearch() {
    return () => null;
}
// obsidian.d.ts: "Converts the linktext to a linkpath" (drops #heading and ^block).
export function getLinkpath(linktext) {
    const hash = linktext.search(/[#^]/);
    return hash === -1 ? linktext : linktext.slice(0, hash);
}

// obsidian.d.ts: the tags of the frontmatter's `tags` (or `tag`) property, a list or a string
// of names split at commas and spaces, each with a leading '#'.
export function parseFrontMatterTags(frontmatter) {
    if (!frontmatter) return null;
    const tags = [];
    for (const key of ['tags', 'tag']) {
        let value = frontmatter[key];
        if (value === undefined || value === null) continue;
        if (!Array.isArray(value)) value = String(value).split(/[,\s]+/);
        for (const item of value) {
            if (item === null || item === undefined) continue;
            const name = String(item).trim();
            if (name === '') continue;
            tags.push(name.startsWith('#') ? name : '#' + name);
        }
    }
    return tags.length > 0 ? tags : null;
}

// obsidian.d.ts: the frontmatter's tags and the body's tags (the cache's `tags`).
export function getAllTags(cache) {
    const tags = parseFrontMatterTags(cache.frontmatter) ?? [];
    for (const t of cache.tags ?? []) tags.push(t.tag);
    return tags;
}
