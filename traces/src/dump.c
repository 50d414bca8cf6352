/* SPDX-License-Identifier: MIT */
/* A trace as text and as JSON lines (see dump.h). */
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include <capstone/capstone.h>

#include "vxtrace/dump.h"

static const char *const status_names[] = { "PASS", "SKIP", "FAIL", "ERROR" };

static const char *str_or(const struct vxt_trace *t, uint32_t ref, const char *none)
{
	const char *s = vxt_string(t, ref);

	return s ? s : none;
}

/* Appends to buf[*len..size), never past the end. */
static void add(char *buf, size_t size, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void add(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*len >= size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *len, size - *len, fmt, ap);
	va_end(ap);
	if (n > 0)
		*len += (size_t)n < size - *len ? (size_t)n : size - *len - 1;
}

void vxt_format_record(const struct vxt_trace *t, const struct vxt_record *r, char *buf,
		       size_t size)
{
	const struct vxt_kind_info *k = vxt_kind_info(r->kind);
	size_t len = 0;

	if (size)
		buf[0] = '\0';
	add(buf, size, &len, "%12" PRIu64 " cpu%-2u step %-3u %-8s %s:", r->time, r->cpu, r->step,
	    vxt_source_name(r->source), k ? k->name : "?");
	if (!k)
		return;
	if (r->kind == VXT_GUEST_CODE) {
		add(buf, size, &len, " %u bytes at 0x%" PRIx64, (unsigned)(r->v[1] >> 8 & 0xff),
		    r->v[0]);
	} else {
		for (int i = 0; i < VXT_WORDS; i++) {
			if (!k->field[i] || !(r->known & (1u << i)))
				continue;
			add(buf, size, &len, " %s 0x%" PRIx64, k->field[i], r->v[i]);
			/* The exit reason by name, as KVM prints it. */
			if (i == 0 && (k->same_as == VXT_KVM_EXIT || r->kind == VXT_KVM_NESTED_VMEXIT) &&
			    !vxt_string(t, r->text) && vxt_svm_exit_name(r->v[0]))
				add(buf, size, &len, " (%s)", vxt_svm_exit_name(r->v[0]));
		}
	}
	if (vxt_string(t, r->text))
		add(buf, size, &len, " \"%s\"", vxt_string(t, r->text));
}

int vxt_print_code(FILE *f, const struct vxt_record *code, const char *indent)
{
	uint8_t bytes[48];
	unsigned before = code->v[1] & 0xff, n = code->v[1] >> 8 & 0xff, bits = code->v[1] >> 16 & 0xff;
	cs_mode mode = bits == 64 ? CS_MODE_64 : bits == 32 ? CS_MODE_32 : CS_MODE_16;
	csh cs;
	cs_insn *insn;
	unsigned start, lines = 0;

	if (n > sizeof(bytes) || before > n)
		return 0;
	memcpy(bytes, &code->v[2], sizeof(bytes));
	if (cs_open(CS_ARCH_X86, mode, &cs) != CS_ERR_OK)
		return 0;
	/*
	 * Code cannot be decoded backwards, only tried from each byte before
	 * RIP. The instruction boundaries every start that lands on RIP agrees
	 * on are certain; the listing begins at the first of them.
	 */
	{
		/* One more than the bytes: a decoding may end just past the last. */
		uint8_t agree[49] = { 0 };
		unsigned landed = 0;

		for (unsigned s = 0; s < before; s++) {
			uint8_t mark[49] = { 0 };
			uint64_t addr = code->v[0] + s;
			const uint8_t *p = bytes + s;
			size_t left = before - s;

			insn = cs_malloc(cs);
			mark[s] = 1;
			while (insn && left && cs_disasm_iter(cs, &p, &left, &addr, insn))
				mark[before - left] = 1;
			cs_free(insn, 1);
			if (left)
				continue;
			landed++;
			for (unsigned i = 0; i < before; i++)
				agree[i] += mark[i];
		}
		start = before;
		for (unsigned i = 0; landed && i < before; i++) {
			if (agree[i] == landed) {
				start = i;
				break;
			}
		}
	}
	{
		const uint8_t *p = bytes + start;
		size_t left = n - start;
		uint64_t addr = code->v[0] + start;
		int after = 0;

		insn = cs_malloc(cs);
		while (insn && left && after < 3 && cs_disasm_iter(cs, &p, &left, &addr, insn)) {
			bool here = insn->address == code->v[0] + before;
			char hex[3 * 16] = "";

			for (unsigned i = 0; i < insn->size && i < 15; i++)
				snprintf(hex + 3 * i, 4, "%02x ", insn->bytes[i]);
			fprintf(f, "%s%s 0x%08" PRIx64 ": %-30s %s %s\n", indent, here ? "=>" : "  ",
				insn->address, hex, insn->mnemonic, insn->op_str);
			lines++;
			if (insn->address >= code->v[0] + before)
				after++;
		}
		cs_free(insn, 1);
	}
	cs_close(&cs);
	return (int)lines;
}

static void text_header(FILE *f, const struct vxt_trace *t)
{
	const struct vxt_header *h = &t->hdr;

	fprintf(f, "# vxemu trace, format %u, written by vxemu %s (%s)\n", h->format_version,
		str_or(t, h->vxemu_version, "?"), str_or(t, h->origin, "?"));
	fprintf(f, "# scenario %s: %s, %u checks%s%s\n", str_or(t, h->scenario, "?"),
		h->status < 4 ? status_names[h->status] : "?", h->checks,
		vxt_string(t, h->message) ? ": " : "", str_or(t, h->message, ""));
	fprintf(f, "# platform %s, %.12s family %u model %u stepping %u\n",
		vxt_platform_name(h->platform), h->cpuid_vendor,
		((h->cpuid_1_eax >> 8) & 0xf) + ((h->cpuid_1_eax >> 20) & 0xff),
		((h->cpuid_1_eax >> 4) & 0xf) | ((h->cpuid_1_eax >> 12) & 0xf0), h->cpuid_1_eax & 0xf);
	fprintf(f, "# CPUID Fn0000_0001 ECX 0x%08x, Fn8000_0001 ECX 0x%08x, Fn8000_000A EAX 0x%x "
		"EBX 0x%x EDX 0x%08x, Fn8000_001F EAX 0x%x\n", h->cpuid_1_ecx,
		h->cpuid_80000001_ecx, h->cpuid_8000000a_eax, h->cpuid_8000000a_ebx,
		h->cpuid_8000000a_edx, h->cpuid_8000001f_eax);
	fprintf(f, "# machine: %u processors, %" PRIu64 " MiB, vNMI %s, NRIPS %s, NPT %s\n", h->ncpus,
		h->ram_size >> 20, h->machine_flags & VXT_MACHINE_VNMI ? "on" : "off",
		h->machine_flags & VXT_MACHINE_NRIPS ? "on" : "off",
		h->machine_flags & VXT_MACHINE_NPT ? "on" : "off");
	fprintf(f, "# %zu records; time is %s\n", t->nrec,
		h->platform == VXT_PLATFORM_MODEL ? "the model's cycle" :
		h->platform == VXT_PLATFORM_IMPORT ? "nanoseconds" : "the TSC");
}

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void json_header(FILE *f, const struct vxt_trace *t)
{
	const struct vxt_header *h = &t->hdr;
	char vendor[13];

	memcpy(vendor, h->cpuid_vendor, 12);
	vendor[12] = '\0';
	fprintf(f, "{\"format_version\":%u,\"vxemu_version\":", h->format_version);
	json_string(f, vxt_string(t, h->vxemu_version));
	fprintf(f, ",\"platform\":\"%s\",\"cpuid_vendor\":", vxt_platform_name(h->platform));
	json_string(f, vendor);
	fprintf(f, ",\"cpuid_1_eax\":%u,\"cpuid_1_ecx\":%u,\"cpuid_80000001_ecx\":%u,"
		"\"cpuid_8000000a_eax\":%u,\"cpuid_8000000a_ebx\":%u,\"cpuid_8000000a_edx\":%u,"
		"\"cpuid_8000001f_eax\":%u,\"ncpus\":%u,\"ram_size\":%" PRIu64 ",\"vnmi\":%s,"
		"\"nrips\":%s,\"npt\":%s,\"scenario\":",
		h->cpuid_1_eax, h->cpuid_1_ecx, h->cpuid_80000001_ecx, h->cpuid_8000000a_eax,
		h->cpuid_8000000a_ebx, h->cpuid_8000000a_edx, h->cpuid_8000001f_eax, h->ncpus,
		h->ram_size, h->machine_flags & VXT_MACHINE_VNMI ? "true" : "false",
		h->machine_flags & VXT_MACHINE_NRIPS ? "true" : "false",
		h->machine_flags & VXT_MACHINE_NPT ? "true" : "false");
	json_string(f, vxt_string(t, h->scenario));
	fprintf(f, ",\"status\":\"%s\",\"checks\":%u,\"message\":",
		h->status < 4 ? status_names[h->status] : "?", h->checks);
	json_string(f, vxt_string(t, h->message));
	fprintf(f, ",\"costs\":");
	json_string(f, vxt_string(t, h->costs));
	fprintf(f, ",\"records\":%zu}\n", t->nrec);
}

static void json_record(FILE *f, const struct vxt_trace *t, const struct vxt_record *r)
{
	const struct vxt_kind_info *k = vxt_kind_info(r->kind);
	bool first = true;

	fprintf(f, "{\"time\":%" PRIu64 ",\"cpu\":%u,\"step\":%u,\"source\":\"%s\",\"kind\":\"%s\",",
		r->time, r->cpu, r->step, vxt_source_name(r->source), k->name);
	if (r->kind == VXT_GUEST_CODE) {
		const uint8_t *bytes = (const uint8_t *)&r->v[2];
		unsigned n = r->v[1] >> 8 & 0xff;

		/* The bytes as they lie in memory (the words are little-endian). */
		fprintf(f, "\"address\":\"0x%" PRIx64 "\",\"rip_offset\":%u,\"bits\":%u,\"bytes\":\"",
			r->v[0], (unsigned)(r->v[1] & 0xff), (unsigned)(r->v[1] >> 16 & 0xff));
		for (unsigned i = 0; i < n && i < 48; i++)
			fprintf(f, "%02x", bytes[i]);
		fputs("\"}\n", f);
		return;
	}
	fputs("\"fields\":{", f);
	for (int i = 0; i < VXT_WORDS; i++) {
		if (!(r->known & (1u << i)))
			continue;
		fprintf(f, "%s\"%s\":\"0x%" PRIx64 "\"", first ? "" : ",",
			k->field[i] ? k->field[i] : "?", r->v[i]);
		first = false;
	}
	fputc('}', f);
	if (vxt_string(t, r->text)) {
		fprintf(f, ",\"text\":");
		json_string(f, vxt_string(t, r->text));
	}
	fputs("}\n", f);
}

int vxt_dump(FILE *f, const struct vxt_trace *t, enum vxt_dump_format fmt)
{
	char line[512];

	if (fmt == VXT_DUMP_JSON)
		json_header(f, t);
	else
		text_header(f, t);
	for (size_t i = 0; i < t->nrec && !ferror(f); i++) {
		const struct vxt_record *r = &t->rec[i];

		if (fmt == VXT_DUMP_JSON) {
			json_record(f, t, r);
			continue;
		}
		vxt_format_record(t, r, line, sizeof(line));
		fprintf(f, "%s\n", line);
		if (r->kind == VXT_GUEST_CODE)
			vxt_print_code(f, r, "                 ");
	}
	return ferror(f) ? -1 : 0;
}
