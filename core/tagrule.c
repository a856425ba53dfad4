/*
 * tagrule.c - Obsidian's inline tags (see tagrule.h).
 */
#include "tagrule.h"

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v';
}

static int
tag_char(unsigned char c)
{
	return c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '/';
}

int
tagrule_next(const char *text, size_t n, int after_space, size_t *pos,
    const char **tag, size_t *len)
{
	size_t i, j;

	for (i = *pos; i < n; i++) {
		int digits_only = 1;

		if (text[i] != '#')
			continue;
		if (i == 0 ? !after_space : !is_space(text[i - 1]))
			continue;
		for (j = i + 1; j < n && tag_char((unsigned char)text[j]); j++)
			if (text[j] < '0' || text[j] > '9')
				digits_only = 0;
		if (j > i + 1 && !digits_only) {
			*tag = text + i + 1;
			*len = j - i - 1;
			*pos = j;
			return 1;
		}
		i = j - 1;
	}
	*pos = n;
	return 0;
}
