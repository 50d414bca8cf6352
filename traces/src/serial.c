/* SPDX-License-Identifier: MIT */
/* The hardware image's serial output as traces (see serial.h). */
#include <stdlib.h>
#include <string.h>

#include "vxtrace/serial.h"
#include "x86/svm.h"

/* Hypervisor signatures of CPUID 4000_0000h: how the image knows where it ran. */
#define SIG_TCG "TCGTCGTCGTCG"
#define SIG_KVM "KVMKVMKVM"

struct cursor {
	const char *p, *end;
};

static bool next_line(struct cursor *c, const char **line, size_t *n)
{
	const char *nl;

	if (c->p >= c->end)
		return false;
	nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
	*line = c->p;
	*n = (size_t)((nl ? nl : c->end) - c->p);
	c->p = nl ? nl + 1 : c->end;
	if (*n && (*line)[*n - 1] == '\r')
		(*n)--;
	return true;
}

static bool starts(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && memcmp(s, prefix, k) == 0;
}

/* A number in decimal or with 0x in hexadecimal, at most 64 bits; the rest of the token is the end. */
static bool number(const char **s, const char *end, uint64_t *out)
{
	const char *p = *s;
	unsigned base = 10;
	uint64_t v = 0;
	bool any = false;

	if (end - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	for (; p < end && *p != ' '; p++) {
		unsigned d;

		if (*p >= '0' && *p <= '9')
			d = (unsigned)(*p - '0');
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = (unsigned)(*p - 'a' + 10);
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			d = (unsigned)(*p - 'A' + 10);
		else
			return false;
		if (v > (UINT64_MAX - d) / base)
			return false;
		v = v * base + d;
		any = true;
	}
	*s = p;
	*out = v;
	return any;
}

static bool word(const char **s, const char *end, uint64_t *out)
{
	while (*s < end && **s == ' ')
		(*s)++;
	return number(s, end, out);
}

/* "key=value" in a line; the value's first byte, or NULL. */
static const char *field(const char *line, size_t n, const char *key)
{
	size_t k = strlen(key);

	for (size_t i = 0; i + k + 1 <= n; i++) {
		if ((i == 0 || line[i - 1] == ' ') && memcmp(line + i, key, k) == 0 && line[i + k] == '=')
			return line + i + k + 1;
	}
	return NULL;
}

static uint32_t field32(const char *line, size_t n, const char *key)
{
	const char *v = field(line, n, key);
	uint64_t x = 0;

	if (v && !number(&v, line + n, &x))
		x = 0;
	return (uint32_t)x;
}

int vxt_serial_platform(const char *text, size_t len, struct vxt_header *h)
{
	struct cursor c = { text, text + len };
	const char *line, *sig, *vendor;
	size_t n;

	while (next_line(&c, &line, &n)) {
		if (starts(line, n, "# vxemu-hw ") && (vendor = memchr(line, ',', n)) &&
		    vendor - line > 16) {
			/* "# vxemu-hw VERSION on VENDOR, ..." */
			const char *on = vendor;

			while (on > line && on[-1] != ' ')
				on--;
			if (vendor - on == 12)
				memcpy(h->cpuid_vendor, on, 12);
		}
		if (!starts(line, n, "#platform "))
			continue;
		h->cpuid_1_eax = field32(line, n, "1.eax");
		h->cpuid_1_ecx = field32(line, n, "1.ecx");
		h->cpuid_80000001_ecx = field32(line, n, "80000001.ecx");
		h->cpuid_8000000a_eax = field32(line, n, "8000000a.eax");
		h->cpuid_8000000a_ebx = field32(line, n, "8000000a.ebx");
		h->cpuid_8000000a_edx = field32(line, n, "8000000a.edx");
		h->cpuid_8000001f_eax = field32(line, n, "8000001f.eax");
		h->ncpus = field32(line, n, "cpus");
		if (h->ncpus > VXT_MAX_CPU + 1)
			h->ncpus = 0;
		{
			const char *v = field(line, n, "ram");
			uint64_t x = 0;

			h->ram_size = v && number(&v, line + n, &x) ? x : 0;
		}
		sig = field(line, n, "hypervisor");
		if (sig && starts(sig, (size_t)(line + n - sig), SIG_TCG))
			h->platform = VXT_PLATFORM_QEMU_TCG;
		else if (sig && starts(sig, (size_t)(line + n - sig), SIG_KVM))
			h->platform = VXT_PLATFORM_QEMU_KVM;
		else
			h->platform = VXT_PLATFORM_METAL;
		/* The machine a replay builds: what the processor advertised. */
		h->machine_flags = (h->cpuid_8000000a_edx & SVM_FEATURE_NP ? VXT_MACHINE_NPT : 0) |
				   (h->cpuid_8000000a_edx & SVM_FEATURE_NRIPS ? VXT_MACHINE_NRIPS : 0) |
				   (h->cpuid_8000000a_edx & SVM_FEATURE_VNMI ? VXT_MACHINE_VNMI : 0) |
				   (h->cpuid_8000000a_edx & SVM_FEATURE_DECODEASSISTS ?
					    VXT_MACHINE_DECODE_ASSISTS : 0);
		return 0;
	}
	return -1;
}

/* "ok N name..." or "not ok N name...": the name, else false. */
static bool result_line(const char *line, size_t n, const char **name, size_t *name_len)
{
	const char *p = line, *end = line + n;

	if (starts(p, n, "not ok "))
		p += 7;
	else if (starts(p, n, "ok "))
		p += 3;
	else
		return false;
	while (p < end && *p >= '0' && *p <= '9')
		p++;
	if (p >= end || *p != ' ')
		return false;
	p++;
	*name = p;
	while (p < end && *p != ' ' && *p != '#')
		p++;
	*name_len = (size_t)(p - *name);
	return *name_len > 0;
}

void vxt_serial_scenarios(const char *text, size_t len, vxt_serial_fn fn, void *user)
{
	struct cursor c = { text, text + len };
	const char *line, *name, *begin = text;
	size_t n, name_len;

	while (next_line(&c, &line, &n)) {
		if (!result_line(line, n, &name, &name_len))
			continue;
		fn(user, name, name_len, begin, (size_t)(line - begin));
		begin = c.p;
	}
}

size_t vxt_serial_events(const char *text, size_t len, struct vxt_trace *t)
{
	struct cursor c = { text, text + len };
	const char *line;
	size_t n, bad = 0;
	/* A trace's time never goes backwards on a processor (docs/traces.md):
	 * a log of two boots run together is cut where the second begins. */
	uint64_t *last = calloc(VXT_MAX_CPU + 1, sizeof(*last));

	if (!last) {
		t->oom = true;
		return 0;
	}

	while (next_line(&c, &line, &n)) {
		const char *p = line + 4, *end = line + n;
		struct hv_event ev;
		uint64_t tsc, cpu, type, source;
		char text_buf[256];
		bool ok;

		if (!starts(line, n, "#ev "))
			continue;
		memset(&ev, 0, sizeof(ev));
		ok = word(&p, end, &tsc) && word(&p, end, &cpu) && word(&p, end, &type) &&
		     word(&p, end, &source) && cpu <= VXT_MAX_CPU &&
		     (!t->hdr.ncpus || cpu < t->hdr.ncpus) && type < HV_EV_TYPE_COUNT &&
		     source < VXT_SRC_IMPORT && tsc != UINT64_MAX && tsc + 1 >= last[cpu];
		for (int i = 0; ok && i < HV_EVENT_WORDS; i++)
			ok = word(&p, end, &ev.v[i]);
		if (!ok) {
			bad++;
			continue;
		}
		if (p < end && *p == ' ') {
			size_t k = (size_t)(end - p - 1);

			if (k >= sizeof(text_buf))
				k = sizeof(text_buf) - 1;
			memcpy(text_buf, p + 1, k);
			text_buf[k] = '\0';
			ev.text = text_buf;
		}
		ev.cycle = tsc;
		ev.cpu = (uint32_t)cpu;
		ev.type = (uint16_t)type;
		ev.source = (uint8_t)source;
		last[cpu] = tsc + 1;
		vxt_add_event(t, &ev);
	}
	free(last);
	return bad;
}
