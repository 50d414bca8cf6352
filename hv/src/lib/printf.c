/* SPDX-License-Identifier: MIT */
/*
 * A small vsnprintf for freestanding code: enough for reports, failure
 * messages and console output (see hv/lib.h for the accepted conversions).
 */
#include "vx/arch.h"
#include "hv/lib.h"

struct out {
	char *buf;
	size_t size;
	size_t len; /* what the full output would take */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

struct spec {
	bool left;
	bool zero;
	bool alt;  /* '#': 0x before a non-zero hexadecimal value (C11 7.21.6.1) */
	int width;
	int lng; /* 0 int, 1 long, 2 long long, 3 size_t */
};

static void put_str(struct out *o, const struct spec *sp, const char *s)
{
	int n;

	if (!s)
		s = "(null)";
	n = (int)hv_strlen(s);
	if (!sp->left)
		pad(o, ' ', sp->width - n);
	while (*s)
		put(o, *s++);
	if (sp->left)
		pad(o, ' ', sp->width - n);
}

static void put_num(struct out *o, const struct spec *sp, uint64_t v, bool neg,
		    unsigned base, bool upper, const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, plen = prefix ? (int)hv_strlen(prefix) : 0, total;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	total = n + plen + (neg ? 1 : 0);
	if (!sp->left && !sp->zero)
		pad(o, ' ', sp->width - total);
	if (neg)
		put(o, '-');
	while (prefix && *prefix)
		put(o, *prefix++);
	if (!sp->left && sp->zero)
		pad(o, '0', sp->width - total);
	while (n)
		put(o, tmp[--n]);
	if (sp->left)
		pad(o, ' ', sp->width - total);
}

static uint64_t arg_unsigned(const struct spec *sp, va_list *ap)
{
	switch (sp->lng) {
	case 1:
		return va_arg(*ap, unsigned long);
	case 2:
		return va_arg(*ap, unsigned long long);
	case 3:
		return va_arg(*ap, size_t);
	}
	return va_arg(*ap, unsigned int);
}

static int64_t arg_signed(const struct spec *sp, va_list *ap)
{
	switch (sp->lng) {
	case 1:
		return va_arg(*ap, long);
	case 2:
		return va_arg(*ap, long long);
	case 3:
		return (int64_t)va_arg(*ap, size_t);
	}
	return va_arg(*ap, int);
}

int hv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { .buf = buf, .size = size, .len = 0 };
	va_list args;

	va_copy(args, ap);
	while (*fmt) {
		struct spec sp = { 0 };
		char c = *fmt++;

		if (c != '%') {
			put(&o, c);
			continue;
		}
		for (;; fmt++) {
			if (*fmt == '-')
				sp.left = true;
			else if (*fmt == '0')
				sp.zero = true;
			else if (*fmt == '#')
				sp.alt = true;
			else
				break;
		}
		if (*fmt == '*') {
			sp.width = va_arg(args, int);
			if (sp.width < 0) {
				sp.left = true;
				sp.width = -sp.width;
			}
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			sp.width = sp.width * 10 + (*fmt++ - '0');
		if (*fmt == 'z') {
			sp.lng = 3;
			fmt++;
		} else {
			while (*fmt == 'l' && sp.lng < 2) {
				sp.lng++;
				fmt++;
			}
		}
		c = *fmt ? *fmt++ : '\0';
		switch (c) {
		case 'd':
		case 'i': {
			int64_t v = arg_signed(&sp, &args);
			uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

			put_num(&o, &sp, mag, v < 0, 10, false, NULL);
			break;
		}
		case 'u':
			put_num(&o, &sp, arg_unsigned(&sp, &args), false, 10, false, NULL);
			break;
		case 'x':
		case 'X': {
			uint64_t v = arg_unsigned(&sp, &args);

			put_num(&o, &sp, v, false, 16, c == 'X',
				sp.alt && v ? (c == 'X' ? "0X" : "0x") : NULL);
			break;
		}
		case 'p':
			put_num(&o, &sp, (uint64_t)(uintptr_t)va_arg(args, void *), false, 16,
				false, "0x");
			break;
		case 'c': {
			char s[2] = { (char)va_arg(args, int), '\0' };

			put_str(&o, &sp, s);
			break;
		}
		case 's':
			put_str(&o, &sp, va_arg(args, const char *));
			break;
		case '%':
			put(&o, '%');
			break;
		case '\0':
			fmt--; /* a lone '%' at the end: print nothing more */
			break;
		default:
			put(&o, '%');
			put(&o, c);
			break;
		}
	}
	va_end(args);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int hv_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = hv_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int hv_printf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = hv_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	arch_console_write(buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
	return n;
}
