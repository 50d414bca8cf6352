/* SPDX-License-Identifier: MIT */
/*
 * A small printf for the image's own messages (diagnostics, trace records,
 * the benchmark line): %s %c %d %u %x %p, the 'l' and 'll' length
 * modifiers, a field width, and the '0' and '#' flags.
 */
#include "hw.h"

struct out {
	char buf[128];
	size_t len;
};

static void flush(struct out *o)
{
	hw_serial_write(o->buf, o->len);
	o->len = 0;
}

static void putc_out(struct out *o, char c)
{
	if (o->len == sizeof(o->buf))
		flush(o);
	o->buf[o->len++] = c;
}

static void put_number(struct out *o, unsigned long long v, unsigned base, bool negative,
		       bool alt, bool zero, int width)
{
	char digits[24];
	int n = 0, prefix = negative ? 1 : (alt && base == 16) ? 2 : 0;

	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (!zero)
		for (int pad = width - n - prefix; pad > 0; pad--)
			putc_out(o, ' ');
	if (negative)
		putc_out(o, '-');
	else if (prefix == 2) {
		putc_out(o, '0');
		putc_out(o, 'x');
	}
	if (zero)
		for (int pad = width - n - prefix; pad > 0; pad--)
			putc_out(o, '0');
	while (n)
		putc_out(o, digits[--n]);
}

void hw_vprintf(const char *fmt, va_list ap)
{
	struct out o = { .len = 0 };

	hw_console_lock();
	for (const char *p = fmt; *p; p++) {
		bool alt = false, zero = false;
		int width = 0, longs = 0;

		if (*p != '%') {
			putc_out(&o, *p);
			continue;
		}
		for (p++; *p == '#' || *p == '0'; p++) {
			if (*p == '#')
				alt = true;
			else
				zero = true;
		}
		for (; *p >= '0' && *p <= '9'; p++)
			width = width * 10 + (*p - '0');
		for (; *p == 'l'; p++)
			longs++;
		switch (*p) {
		case 'd': {
			long long v = longs >= 2 ? va_arg(ap, long long)
				    : longs ? va_arg(ap, long) : va_arg(ap, int);
			unsigned long long m = v < 0 ? 0ull - (unsigned long long)v
						     : (unsigned long long)v;

			put_number(&o, m, 10, v < 0, false, zero, width);
			break;
		}
		case 'u':
		case 'x': {
			unsigned long long v = longs >= 2 ? va_arg(ap, unsigned long long)
					     : longs ? va_arg(ap, unsigned long)
					     : va_arg(ap, unsigned);

			put_number(&o, v, *p == 'x' ? 16 : 10, false, alt, zero, width);
			break;
		}
		case 'p':
			put_number(&o, (uintptr_t)va_arg(ap, void *), 16, false, true, zero, width);
			break;
		case 'c':
			putc_out(&o, (char)va_arg(ap, int));
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);

			for (s = s ? s : "(null)"; *s; s++)
				putc_out(&o, *s);
			break;
		}
		case '%':
			putc_out(&o, '%');
			break;
		default:
			/* Not a conversion this printf knows: show it as written. */
			putc_out(&o, '%');
			if (!*p)
				p--;
			else
				putc_out(&o, *p);
			break;
		}
	}
	flush(&o);
	hw_console_unlock();
}

void hw_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hw_vprintf(fmt, ap);
	va_end(ap);
}
