/* SPDX-License-Identifier: MIT */
/* Reading the image's benchmark line (see bench_image_line.h). */
#include "bench_image_line.h"

#include <string.h>

/* A decimal number and the blank or end after it; NULL if there is none. */
static const char *number(const char *p, uint64_t *v)
{
	const char *start = p;

	*v = 0;
	while (*p >= '0' && *p <= '9') {
		if (*v > (UINT64_MAX - 9) / 10)
			return NULL;
		*v = *v * 10 + (uint64_t)(*p - '0');
		p++;
	}
	if (p == start || (*p != ' ' && *p != '\r' && *p != '\n' && *p != '\0'))
		return NULL;
	return p;
}

/* "word " at p: the text after it, or NULL. */
static const char *word(const char *p, const char *w)
{
	size_t n = strlen(w);

	return strncmp(p, w, n) == 0 && p[n] == ' ' ? p + n + 1 : NULL;
}

/* One blank after a number: the text after it, or NULL. */
static const char *blank(const char *p)
{
	return p && *p == ' ' ? p + 1 : NULL;
}

static bool parse_at(const char *p, const char *loop, struct vx_bench_image_line *l)
{
	uint64_t hz, ns;

	*l = (struct vx_bench_image_line){ 0 };
	if (!(p = word(p, "bench")) || !(p = word(p, loop)) || !(p = number(p, &l->trips)) ||
	    !(p = blank(p)) || !(p = word(p, "tsc")) || !(p = number(p, &l->tsc)))
		return false;
	if (*p != ' ')
		return true;
	/* The rate is all three pairs or none. */
	if (!(p = blank(p)) || !(p = word(p, "tsc_hz")) || !(p = number(p, &hz)) ||
	    !(p = blank(p)) || !(p = word(p, "ns")) || !(p = number(p, &ns)) ||
	    !(p = blank(p)) || !(p = word(p, "per_second")) ||
	    !(p = number(p, &l->per_second))) {
		l->per_second = 0;
		return false;
	}
	return true;
}

bool vx_bench_image_line_parse(const char *out, const char *loop, struct vx_bench_image_line *l)
{
	const char *p = out;

	while (p && *p) {
		if (parse_at(p, loop, l))
			return l->trips > 0;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	*l = (struct vx_bench_image_line){ 0 };
	return false;
}
