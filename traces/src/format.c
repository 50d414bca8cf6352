/* SPDX-License-Identifier: MIT */
/*
 * The trace file format (docs/traces.md): building a trace in memory, and
 * the encoder and the validating decoder of the file image.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vxtrace/trace.h"

_Static_assert(sizeof(struct vxt_record) == VXT_RECORD_SIZE, "record layout");
_Static_assert(offsetof(struct vxt_record, kind) == 0x0c, "record kind");
_Static_assert(offsetof(struct vxt_record, step) == 0x10, "record step");
_Static_assert(offsetof(struct vxt_record, v) == 0x18, "record words");
_Static_assert(offsetof(struct vxt_header, record_count) + VXT_MAGIC_SIZE == 0x10, "header");
_Static_assert(offsetof(struct vxt_header, cpuid_vendor) + VXT_MAGIC_SIZE == 0x30, "header");
_Static_assert(offsetof(struct vxt_header, ram_size) + VXT_MAGIC_SIZE == 0x60, "header");
_Static_assert(offsetof(struct vxt_header, origin) + VXT_MAGIC_SIZE == 0x7c, "header");

void vxt_init(struct vxt_trace *t)
{
	memset(t, 0, sizeof(*t));
	t->hdr.format_version = VXT_FORMAT_VERSION;
	t->hdr.header_size = VXT_HEADER_SIZE;
	t->hdr.record_size = VXT_RECORD_SIZE;
}

void vxt_free(struct vxt_trace *t)
{
	free(t->rec);
	free(t->str);
	free(t->hash);
	vxt_init(t);
}

void vxt_reset(struct vxt_trace *t)
{
	struct vxt_trace keep = *t;

	vxt_init(t);
	t->rec = keep.rec;
	t->rec_cap = keep.rec_cap;
	t->str = keep.str;
	t->str_cap = keep.str_cap;
	t->hash = keep.hash;
	t->hash_cap = keep.hash_cap;
	if (t->hash)
		memset(t->hash, 0, t->hash_cap * sizeof(*t->hash));
}

/* --- strings ---------------------------------------------------------------- */

static uint32_t hash_str(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	while (*s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

static bool grow(void **p, size_t *cap, size_t need, size_t elem, size_t first)
{
	size_t n = *cap ? *cap : first;
	void *q;

	if (need <= *cap)
		return true;
	while (n < need)
		n *= 2;
	q = realloc(*p, n * elem);
	if (!q)
		return false;
	*p = q;
	*cap = n;
	return true;
}

static bool rehash(struct vxt_trace *t, size_t cap)
{
	uint32_t *h = calloc(cap, sizeof(*h));

	if (!h)
		return false;
	for (size_t off = 0; off < t->nstr; off += strlen(t->str + off) + 1) {
		size_t i = hash_str(t->str + off) & (cap - 1);

		while (h[i])
			i = (i + 1) & (cap - 1);
		h[i] = (uint32_t)off + 1;
	}
	free(t->hash);
	t->hash = h;
	t->hash_cap = cap;
	return true;
}

uint32_t vxt_intern(struct vxt_trace *t, const char *s)
{
	size_t len, i;

	if (!s)
		return 0;
	len = strlen(s) + 1;
	/* Keep the table at most half full. */
	if ((t->hash_cap == 0 || t->nstr >= t->hash_cap / 2) && !rehash(t, t->hash_cap ? t->hash_cap * 4 : 256))
		goto oom;
	i = hash_str(s) & (t->hash_cap - 1);
	while (t->hash[i]) {
		if (strcmp(t->str + t->hash[i] - 1, s) == 0)
			return t->hash[i];
		i = (i + 1) & (t->hash_cap - 1);
	}
	if (t->nstr + len > VXT_MAX_STRINGS || !grow((void **)&t->str, &t->str_cap, t->nstr + len, 1, 4096))
		goto oom;
	memcpy(t->str + t->nstr, s, len);
	t->hash[i] = (uint32_t)t->nstr + 1;
	t->nstr += len;
	return t->hash[i];
oom:
	t->oom = true;
	return 0;
}

const char *vxt_string(const struct vxt_trace *t, uint32_t ref)
{
	if (ref == 0 || ref > t->nstr)
		return NULL;
	return t->str + ref - 1;
}

/* --- records ---------------------------------------------------------------- */

void vxt_push(struct vxt_trace *t, const struct vxt_record *r)
{
	if (t->nrec >= VXT_MAX_RECORDS ||
	    !grow((void **)&t->rec, &t->rec_cap, t->nrec + 1, sizeof(*t->rec), 256)) {
		t->oom = true;
		return;
	}
	t->rec[t->nrec] = *r;
	t->rec[t->nrec].step = t->next_step;
	if (r->kind == VXT_CHECK)
		t->next_step++;
	t->nrec++;
}

/* --- the file image ----------------------------------------------------------- */

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* The header's 32-bit fields from 28h to 7Fh, in file order. */
#define HDR_U32(X)                                                                          \
	X(0x28, platform) X(0x2c, vxemu_version) X(0x3c, cpuid_1_eax) X(0x40, cpuid_1_ecx)   \
	X(0x44, cpuid_80000001_ecx) X(0x48, cpuid_8000000a_eax) X(0x4c, cpuid_8000000a_ebx)  \
	X(0x50, cpuid_8000000a_edx) X(0x54, cpuid_8000001f_eax) X(0x58, ncpus)               \
	X(0x5c, machine_flags) X(0x68, costs) X(0x6c, scenario) X(0x70, status)               \
	X(0x74, checks) X(0x78, message) X(0x7c, origin)

/* The header's string references, for validation. */
#define HDR_STR(X) X(0x2c, vxemu_version) X(0x68, costs) X(0x6c, scenario) X(0x78, message) X(0x7c, origin)

static void encode_record(uint8_t *p, const struct vxt_record *r)
{
	put64(p, r->time);
	put32(p + 0x08, r->cpu);
	put16(p + 0x0c, r->kind);
	p[0x0e] = r->source;
	p[0x0f] = r->known;
	put32(p + 0x10, r->step);
	put32(p + 0x14, r->text);
	for (int i = 0; i < VXT_WORDS; i++)
		put64(p + 0x18 + 8 * i, r->v[i]);
}

uint8_t *vxt_encode(const struct vxt_trace *t, size_t *size)
{
	size_t n = VXT_HEADER_SIZE + t->nrec * VXT_RECORD_SIZE + t->nstr;
	uint8_t *buf = calloc(1, n);
	uint8_t *p;

	if (!buf)
		return NULL;
	memcpy(buf, VXT_MAGIC, VXT_MAGIC_SIZE);
	put16(buf + 0x08, VXT_FORMAT_VERSION);
	put16(buf + 0x0a, VXT_HEADER_SIZE);
	put16(buf + 0x0c, VXT_RECORD_SIZE);
	put16(buf + 0x0e, 0);
	put64(buf + 0x10, t->nrec);
	put64(buf + 0x18, VXT_HEADER_SIZE + (uint64_t)t->nrec * VXT_RECORD_SIZE);
	put64(buf + 0x20, t->nstr);
#define PUT(off, f) put32(buf + (off), t->hdr.f);
	HDR_U32(PUT)
#undef PUT
	memcpy(buf + 0x30, t->hdr.cpuid_vendor, sizeof(t->hdr.cpuid_vendor));
	put64(buf + 0x60, t->hdr.ram_size);
	p = buf + VXT_HEADER_SIZE;
	for (size_t i = 0; i < t->nrec; i++, p += VXT_RECORD_SIZE)
		encode_record(p, &t->rec[i]);
	if (t->nstr)
		memcpy(p, t->str, t->nstr);
	*size = n;
	return buf;
}

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

int vxt_save(const struct vxt_trace *t, const char *path, char *err, size_t errlen)
{
	size_t n;
	uint8_t *buf;
	FILE *f;
	int rc = 0;

	if (t->oom) {
		set_err(err, errlen, "%s: out of memory while recording: the trace is incomplete", path);
		return -1;
	}
	buf = vxt_encode(t, &n);
	if (!buf) {
		set_err(err, errlen, "%s: out of memory", path);
		return -1;
	}
	f = fopen(path, "wb");
	if (!f) {
		set_err(err, errlen, "%s: %s", path, strerror(errno));
		free(buf);
		return -1;
	}
	if (fwrite(buf, 1, n, f) != n)
		rc = -1;
	if (fclose(f) != 0)
		rc = -1;
	if (rc)
		set_err(err, errlen, "%s: write failed: %s", path, strerror(errno));
	free(buf);
	return rc;
}

static bool ref_ok(const struct vxt_trace *t, uint32_t ref)
{
	/* A reference starts a string: the table begins there or after a NUL. */
	return ref == 0 || (ref <= t->nstr && (ref == 1 || t->str[ref - 2] == '\0'));
}

int vxt_decode(const uint8_t *buf, size_t size, struct vxt_trace *t, char *err, size_t errlen)
{
	uint64_t nrec, soff, ssize;
	uint64_t last_time[VXT_MAX_CPU + 1];
	bool seen[VXT_MAX_CPU + 1];
	uint32_t step = 0;

	vxt_init(t);
	if (size < VXT_HEADER_SIZE) {
		set_err(err, errlen, "offset 0x%zx: file ends inside the %u-byte header", size,
			VXT_HEADER_SIZE);
		return -1;
	}
	if (memcmp(buf, VXT_MAGIC, VXT_MAGIC_SIZE) != 0) {
		set_err(err, errlen, "offset 0x0: not a vxemu trace (no \"VXTRACE\" magic)");
		return -1;
	}
	if (get16(buf + 0x08) != VXT_FORMAT_VERSION) {
		set_err(err, errlen, "offset 0x8: format version %u, this vxemu reads version %u",
			get16(buf + 0x08), VXT_FORMAT_VERSION);
		return -1;
	}
	if (get16(buf + 0x0a) != VXT_HEADER_SIZE || get16(buf + 0x0c) != VXT_RECORD_SIZE ||
	    get16(buf + 0x0e) != 0) {
		set_err(err, errlen, "offset 0xa: header size %u, record size %u, flags %#x; "
			"version %u has %u, %u, 0", get16(buf + 0x0a), get16(buf + 0x0c),
			get16(buf + 0x0e), VXT_FORMAT_VERSION, VXT_HEADER_SIZE, VXT_RECORD_SIZE);
		return -1;
	}
	for (size_t off = 0x80; off < VXT_HEADER_SIZE; off++) {
		if (buf[off]) {
			set_err(err, errlen, "offset 0x%zx: reserved header byte is not zero", off);
			return -1;
		}
	}
	nrec = get64(buf + 0x10);
	soff = get64(buf + 0x18);
	ssize = get64(buf + 0x20);
	/* Every size is checked against the file before anything is allocated. */
	if (nrec > VXT_MAX_RECORDS || nrec > (size - VXT_HEADER_SIZE) / VXT_RECORD_SIZE) {
		set_err(err, errlen, "offset 0x10: %llu records do not fit in a %zu-byte file",
			(unsigned long long)nrec, size);
		return -1;
	}
	if (soff != VXT_HEADER_SIZE + nrec * VXT_RECORD_SIZE) {
		set_err(err, errlen, "offset 0x18: string table at 0x%llx, the records end at 0x%llx",
			(unsigned long long)soff,
			(unsigned long long)(VXT_HEADER_SIZE + nrec * VXT_RECORD_SIZE));
		return -1;
	}
	if (ssize > VXT_MAX_STRINGS || ssize != size - soff) {
		set_err(err, errlen, "offset 0x20: string table of %llu bytes, the file has %llu after the records",
			(unsigned long long)ssize, (unsigned long long)(size - soff));
		return -1;
	}
	if (ssize && buf[size - 1] != '\0') {
		set_err(err, errlen, "offset 0x%zx: the string table does not end with a NUL", size - 1);
		return -1;
	}
#define GET(off, f) t->hdr.f = get32(buf + (off));
	HDR_U32(GET)
#undef GET
	memcpy(t->hdr.cpuid_vendor, buf + 0x30, sizeof(t->hdr.cpuid_vendor));
	t->hdr.ram_size = get64(buf + 0x60);
	t->hdr.record_count = nrec;
	t->hdr.strings_offset = soff;
	t->hdr.strings_size = ssize;
	if (t->hdr.platform == 0 || t->hdr.platform >= VXT_PLATFORM_COUNT) {
		set_err(err, errlen, "offset 0x28: unknown platform %u", t->hdr.platform);
		return -1;
	}
	if (t->hdr.ncpus > VXT_MAX_CPU + 1) {
		set_err(err, errlen, "offset 0x58: %u processors", t->hdr.ncpus);
		return -1;
	}
	if (t->hdr.machine_flags & ~VXT_MACHINE_FLAGS_ALL || t->hdr.status > 3) {
		set_err(err, errlen, "offset 0x5c: machine flags %#x or status %u undefined",
			t->hdr.machine_flags, t->hdr.status);
		return -1;
	}
	t->str = malloc(ssize ? ssize : 1);
	t->rec = malloc(nrec ? nrec * sizeof(*t->rec) : 1);
	if (!t->str || !t->rec) {
		vxt_free(t);
		set_err(err, errlen, "out of memory for %llu records", (unsigned long long)nrec);
		return -1;
	}
	memcpy(t->str, buf + soff, ssize);
	t->nstr = t->str_cap = ssize;
	t->rec_cap = nrec;
#define CHECK_REF(off, f)                                                                   \
	if (!ref_ok(t, t->hdr.f)) {                                                         \
		set_err(err, errlen, "offset 0x%x: string reference %u out of range", off,    \
			t->hdr.f);                                                          \
		vxt_free(t);                                                                \
		return -1;                                                                  \
	}
	HDR_STR(CHECK_REF)
#undef CHECK_REF
	memset(seen, 0, sizeof(seen));
	for (uint64_t i = 0; i < nrec; i++) {
		const uint8_t *p = buf + VXT_HEADER_SIZE + i * VXT_RECORD_SIZE;
		struct vxt_record *r = &t->rec[i];
		size_t off = (size_t)(p - buf);
		const char *why = NULL;

		r->time = get64(p);
		r->cpu = get32(p + 0x08);
		r->kind = get16(p + 0x0c);
		r->source = p[0x0e];
		r->known = p[0x0f];
		r->step = get32(p + 0x10);
		r->text = get32(p + 0x14);
		for (int w = 0; w < VXT_WORDS; w++)
			r->v[w] = get64(p + 0x18 + 8 * w);
		if (!vxt_kind_info(r->kind))
			why = "unknown record kind";
		else if (r->source >= VXT_SRC_COUNT)
			why = "unknown source";
		else if (r->cpu > VXT_MAX_CPU || (t->hdr.ncpus && r->cpu >= t->hdr.ncpus))
			why = "processor number beyond the machine";
		else if (!ref_ok(t, r->text))
			why = "string reference out of range";
		else if (r->step != step)
			why = "step out of order (each check record starts the next step)";
		else if (seen[r->cpu] && r->time < last_time[r->cpu])
			why = "time goes backwards on its processor";
		if (why) {
			set_err(err, errlen, "offset 0x%zx: record %llu: %s", off,
				(unsigned long long)i, why);
			vxt_free(t);
			return -1;
		}
		seen[r->cpu] = true;
		last_time[r->cpu] = r->time;
		if (r->kind == VXT_CHECK)
			step++;
		t->nrec++;
	}
	t->next_step = step;
	return 0;
}

int vxt_load(const char *path, struct vxt_trace *t, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long size;
	char why[256];
	int rc;

	vxt_init(t);
	if (!f) {
		set_err(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		set_err(err, errlen, "%s: not a regular file", path);
		fclose(f);
		return -1;
	}
	if ((uint64_t)size > VXT_HEADER_SIZE + (uint64_t)VXT_MAX_RECORDS * VXT_RECORD_SIZE +
				     VXT_MAX_STRINGS) {
		set_err(err, errlen, "%s: %ld bytes is more than a trace can hold", path, size);
		fclose(f);
		return -1;
	}
	buf = malloc(size ? (size_t)size : 1);
	if (!buf) {
		set_err(err, errlen, "%s: out of memory", path);
		fclose(f);
		return -1;
	}
	if (fread(buf, 1, (size_t)size, f) != (size_t)size) {
		set_err(err, errlen, "%s: read failed", path);
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	rc = vxt_decode(buf, (size_t)size, t, why, sizeof(why));
	if (rc)
		set_err(err, errlen, "%s: %s", path, why);
	free(buf);
	return rc;
}
