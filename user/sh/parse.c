/**
 * @file
 * parse.c — a command line into words: quotes, $?, redirections and a trailing &.
 *
 * The one thing to know: this is the shell's whole grammar — words separated by
 * blanks, '...' taken as it is, "..." with $? put in, and the operators <, >, >> and &
 * ending a word wherever they stand unquoted. There are no pipes, no globs and no
 * variables other than $?.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "sh.h"

enum token { T_END, T_WORD, T_IN, T_OUT, T_APPEND, T_BACKGROUND, T_ERROR };

struct lexer {
	const char *p;
	long status;
	char *out, *end;                /* where the words go */
};

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

static bool is_operator(char ch)
{
	return ch == '<' || ch == '>' || ch == '&';
}

static bool put(struct lexer *l, char ch)
{
	if (l->out >= l->end) {
		dprintf(STDERR_FILENO, "sh: the line is too long\n");
		return false;
	}
	*l->out++ = ch;
	return true;
}

static bool put_status(struct lexer *l)
{
	char n[24];
	snprintf(n, sizeof(n), "%ld", l->status);
	for (char *s = n; *s; s++)
		if (!put(l, *s))
			return false;
	return true;
}

/* The next token; a word's text starts at *word. */
static enum token next(struct lexer *l, char **word)
{
	while (is_blank(*l->p))
		l->p++;
	if (!*l->p)
		return T_END;
	if (*l->p == '<') {
		l->p++;
		return T_IN;
	}
	if (*l->p == '>') {
		l->p++;
		if (*l->p == '>') {
			l->p++;
			return T_APPEND;
		}
		return T_OUT;
	}
	if (*l->p == '&') {
		l->p++;
		return T_BACKGROUND;
	}
	*word = l->out;
	while (*l->p && !is_blank(*l->p) && !is_operator(*l->p)) {
		char q = *l->p;
		if (q == '\'' || q == '"') {
			l->p++;
			while (*l->p && *l->p != q) {
				bool ok = q == '"' && l->p[0] == '$' && l->p[1] == '?' ?
					  (l->p++, put_status(l)) : put(l, *l->p);
				if (!ok)
					return T_ERROR;
				l->p++;
			}
			if (*l->p != q) {
				dprintf(STDERR_FILENO, "sh: a quote (%c) is not closed\n", q);
				return T_ERROR;
			}
			l->p++;
		} else if (q == '$' && l->p[1] == '?') {
			if (!put_status(l))
				return T_ERROR;
			l->p += 2;
		} else {
			if (!put(l, q))
				return T_ERROR;
			l->p++;
		}
	}
	return put(l, 0) ? T_WORD : T_ERROR;
}

int command_parse(const char *line, long status, struct command *c)
{
	memset(c, 0, sizeof(*c));
	struct lexer l = { line, status, c->words, c->words + sizeof(c->words) };
	for (;;) {
		char *word = NULL;
		enum token t = next(&l, &word);
		if (t == T_END)
			break;
		if (t == T_ERROR)
			return -1;
		if (c->background) {
			dprintf(STDERR_FILENO, "sh: & must end the line\n");
			return -1;
		}
		if (t == T_WORD) {
			if (c->argc == SH_ARGS_MAX) {
				dprintf(STDERR_FILENO, "sh: more than %d words\n", SH_ARGS_MAX);
				return -1;
			}
			c->argv[c->argc++] = word;
		} else if (t == T_BACKGROUND) {
			c->background = true;
		} else {
			enum token f = next(&l, &word);
			if (f != T_WORD) {
				const char *op = t == T_IN ? "<" : t == T_OUT ? ">" : ">>";
				if (f != T_ERROR)
					dprintf(STDERR_FILENO, "sh: %s needs a file name\n", op);
				return -1;
			}
			if (t == T_IN) {
				c->in = word;
			} else {
				c->out = word;
				c->append = t == T_APPEND;
			}
		}
	}
	c->argv[c->argc] = NULL;
	if (c->argc == 0 && (c->in || c->out || c->background)) {
		dprintf(STDERR_FILENO, "sh: a redirection or & without a command\n");
		return -1;
	}
	return 0;
}
