/* SPDX-License-Identifier: MIT */
/*
 * Seeds of the instruction targets. insn_decode: every distinct MOV with a
 * memory operand in the conformance guests (the .S files of
 * conformance/src/guest) as assembled into the build, in the mode it runs
 * in. insn_fetch: code reached through each kind of guest paging the core
 * walks (APM vol. 2 §5.2, §5.3) and the places a fetch must stop.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <capstone/capstone.h>

#include "inputs.h"
#include "make_seeds.h"
#include "x86/cpu.h"

extern const uint8_t xapic_guest_start[], xapic_guest_end[];
extern const uint8_t mp_guest_start[], mp_guest_end[];
extern const uint8_t npt_guest_start[], npt_guest_end[];
extern const uint8_t insn_bytes_guest_start[], insn_bytes_guest_end[];
extern const uint8_t icpt_guest_start[], icpt_guest_end[];
extern const uint8_t host_sipi_start[], host_sipi_end[];

#define KEYS_MAX 256

/* What makes two MOVs different to the decoder: prefixes, REX, opcode, ModRM, SIB. */
static uint64_t keys[KEYS_MAX];
static unsigned nkeys;

static bool new_key(const cs_x86 *x)
{
	uint64_t k = (uint64_t)x->prefix[0] | (uint64_t)x->prefix[1] << 8 |
		     (uint64_t)x->prefix[2] << 16 | (uint64_t)x->prefix[3] << 24 |
		     (uint64_t)x->rex << 32 | (uint64_t)x->opcode[0] << 40 |
		     (uint64_t)x->modrm << 48 | (uint64_t)x->sib << 56;

	for (unsigned i = 0; i < nkeys; i++)
		if (keys[i] == k)
			return false;
	if (nkeys < KEYS_MAX)
		keys[nkeys++] = k;
	return true;
}

static bool is_mov_mem(const cs_insn *ci)
{
	const cs_x86 *x = &ci->detail->x86;

	if (ci->id != X86_INS_MOV && ci->id != X86_INS_MOVABS)
		return false;
	for (unsigned i = 0; i < x->op_count; i++)
		if (x->operands[i].type == X86_OP_MEM)
			return true;
	return false;
}

static void from_payload(const char *name, const uint8_t *start, const uint8_t *end,
			 cs_mode mode, unsigned fz_mode)
{
	const uint8_t *code = start;
	size_t size = (size_t)(end - start);
	uint64_t addr = 0;
	cs_insn *ci;
	csh cs;

	if (cs_open(CS_ARCH_X86, mode, &cs) != CS_ERR_OK)
		return;
	cs_option(cs, CS_OPT_DETAIL, CS_OPT_ON);
	ci = cs_malloc(cs);
	while (size) {
		char file[64];
		FILE *f;

		/* Data between the instructions: step over a byte. */
		if (!cs_disasm_iter(cs, &code, &size, &addr, ci)) {
			code++;
			size--;
			addr++;
			continue;
		}
		if (!is_mov_mem(ci) || !new_key(&ci->detail->x86))
			continue;
		snprintf(file, sizeof(file), "%s-%04llx", name, (unsigned long long)ci->address);
		f = seed_open("insn_decode", file);
		fz_put(f, fz_mode, 1);
		fwrite(ci->bytes, 1, ci->size, f);
		seed_close(f);
	}
	cs_free(ci, 1);
	cs_close(&cs);
}

void seeds_insn_decode(void)
{
	from_payload("xapic", xapic_guest_start, xapic_guest_end, CS_MODE_64, 2);
	from_payload("mp", mp_guest_start, mp_guest_end, CS_MODE_64, 2);
	from_payload("npt", npt_guest_start, npt_guest_end, CS_MODE_64, 2);
	from_payload("insn_bytes", insn_bytes_guest_start, insn_bytes_guest_end, CS_MODE_64, 2);
	from_payload("icpt", icpt_guest_start, icpt_guest_end, CS_MODE_64, 2);
	from_payload("host_sipi", host_sipi_start, host_sipi_end, CS_MODE_16, 0);
}

/* --- insn_fetch ----------------------------------------------------------- */

#define RAM_SIZE (64u * 1024u)
#define CS_16 0x09bu    /* present code segment, 16-bit */
#define CS_32 0xc9bu    /* D = 1 */
#define CS_64 0xa9bu    /* L = 1 */
#define PDE_RW (X86_PTE_P | X86_PTE_W)
/* An xAPIC load and store as the scenarios write them: mov 0x30(%rbx),%eax; mov %eax,0xb0(%rbx). */
static const uint8_t code[] = { 0x8b, 0x43, 0x30, 0x89, 0x83, 0xb0, 0x00, 0x00, 0x00 };

static uint8_t ram[RAM_SIZE];

static void put32(uint64_t pa, uint32_t v) { memcpy(ram + pa, &v, 4); }
static void put64(uint64_t pa, uint64_t v) { memcpy(ram + pa, &v, 8); }

static void fetch_seed(const char *name, uint8_t flags, uint64_t hole,
		       const struct hv_insn_state *st, uint64_t la)
{
	FILE *f = seed_open("insn_fetch", name);

	fz_put(f, flags, 1);
	fz_put(f, hole, 8);
	fz_put(f, 15, 1);
	fz_put_insn_state(f, st);
	fz_put(f, la, 8);
	/* The RAM that is not zero, in pieces of up to 255 bytes. */
	for (size_t at = 0; at < RAM_SIZE;) {
		size_t n = 0;

		if (!ram[at]) {
			at++;
			continue;
		}
		while (at + n < RAM_SIZE && n < 255 && ram[at + n])
			n++;
		fz_put(f, at, 2);
		fz_put(f, n, 1);
		fwrite(ram + at, 1, n, f);
		at += n;
	}
	seed_close(f);
	memset(ram, 0, sizeof(ram));
}

/* Long-mode tables at 3000h (PML4), 4000h (PDPT), 5000h (PD), 8000h (PT). */
static void long_tables(void)
{
	put64(0x3000, 0x4000 | PDE_RW);
	put64(0x4000, 0x5000 | PDE_RW);
	put64(0x5000, 0x8000 | PDE_RW);
}

void seeds_insn_fetch(void)
{
	struct hv_insn_state st;

	/* Real mode: CS base 1000h, the code at CS:0100h; then up against the limit. */
	memset(&st, 0, sizeof(st));
	st.cs_attrib = CS_16;
	st.cs_limit = 0xffff;
	st.seg_base[1] = 0x1000; /* CS (hv/ops.h) */
	st.rip = 0x100;
	memcpy(ram + 0x1100, code, sizeof(code));
	fetch_seed("real", 0, 0, &st, 0x1100);
	st.cs_limit = 0x102;
	memcpy(ram + 0x1100, code, sizeof(code));
	fetch_seed("real-limit", 0, 0, &st, 0x1100);

	/* Protected mode, no paging. */
	memset(&st, 0, sizeof(st));
	st.cs_attrib = CS_32;
	st.cs_limit = 0xffffffff;
	st.cr0 = X86_CR0_PE;
	st.rip = 0x2000;
	memcpy(ram + 0x2000, code, sizeof(code));
	fetch_seed("prot32", 0, 0, &st, 0x2000);

	/* Two-level paging, 4 KiB: linear 5000h is physical 6000h; 6000h is not mapped. */
	st.cr0 = X86_CR0_PE | X86_CR0_PG;
	st.cr3 = 0x3000;
	put32(0x3000, 0x4000 | PDE_RW);
	put32(0x4000 + 5 * 4, 0x6000 | X86_PTE_P);
	memcpy(ram + 0x6000, code, sizeof(code));
	st.rip = 0x5000;
	fetch_seed("legacy-4k", 0, 0, &st, 0x5004);
	put32(0x3000, 0x4000 | PDE_RW);
	put32(0x4000 + 5 * 4, 0x6000 | X86_PTE_P);
	memcpy(ram + 0x6ffa, code, sizeof(code));
	st.rip = 0x5ffa;
	fetch_seed("legacy-4k-cross", 0, 0, &st, 0x6000);

	/* CR4.PSE: a 4 MiB page at linear 400000h onto physical 0; PSE-36 bits above 4 GiB. */
	st.cr4 = X86_CR4_PSE;
	put32(0x3000 + 4, X86_PTE_P | X86_PTE_PS);
	put32(0x3000 + 8, X86_PTE_P | X86_PTE_PS | (0x3full << 13));
	memcpy(ram + 0x6000, code, sizeof(code));
	st.rip = 0x406000;
	fetch_seed("legacy-4m", 0, 0, &st, 0x806000);

	/* PAE: PDPT at 3000h, PD 4000h, PT 5000h; linear 7000h is physical 6000h. */
	st.cr4 = X86_CR4_PAE;
	put64(0x3000, 0x4000 | X86_PTE_P);
	put64(0x4000, 0x5000 | PDE_RW);
	put64(0x5000 + 7 * 8, 0x6000 | X86_PTE_P);
	memcpy(ram + 0x6000, code, sizeof(code));
	st.rip = 0x7000;
	fetch_seed("pae-4k", 0, 0, &st, 0x7000);

	/* Long mode: 4 KiB, 2 MiB and 1 GiB pages onto the code at 6000h. */
	memset(&st, 0, sizeof(st));
	st.cs_attrib = CS_64;
	st.cr0 = X86_CR0_PE | X86_CR0_PG;
	st.cr3 = 0x3000;
	st.cr4 = X86_CR4_PAE;
	st.efer = X86_EFER_LME | X86_EFER_LMA;
	long_tables();
	put64(0x8000 + 9 * 8, 0x6000 | X86_PTE_P);
	memcpy(ram + 0x6000, code, sizeof(code));
	st.rip = 0x9000;
	fetch_seed("long-4k", 0, 0, &st, 0x9000);
	long_tables();
	put64(0x5000 + 8, X86_PTE_P | X86_PTE_PS);
	memcpy(ram + 0x6000, code, sizeof(code));
	st.rip = 0x206000;
	fetch_seed("long-2m", 0, 0, &st, 0x206000);
	long_tables();
	put64(0x4000 + 8, X86_PTE_P | X86_PTE_PS);
	memcpy(ram + 0x6000, code, sizeof(code));
	st.rip = 0x40006000;
	fetch_seed("long-1g", 0, 0, &st, 0x40006000);

	/* The top of the lower canonical half: two bytes, then a non-canonical address. */
	long_tables();
	put64(0x3000 + 255 * 8, 0x4000 | PDE_RW);
	put64(0x4000 + 511 * 8, 0x5000 | PDE_RW);
	put64(0x5000 + 511 * 8, 0x8000 | PDE_RW);
	put64(0x8000 + 511 * 8, 0x6000 | X86_PTE_P);
	memcpy(ram + 0x6ffe, code, 2);
	st.rip = 0x00007ffffffffffeull;
	fetch_seed("long-canonical", 0, 0, &st, 0x00007ffffffff000ull);

	/* Nested paging: the xAPIC hole elsewhere, then the hole on the code's own page. */
	long_tables();
	put64(0x8000 + 9 * 8, 0x6000 | X86_PTE_P);
	memcpy(ram + 0x6000, code, sizeof(code));
	st.rip = 0x9000;
	fetch_seed("long-npt", FZ_FETCH_NPT, 0xfee00000, &st, 0x9000);
	long_tables();
	put64(0x8000 + 9 * 8, 0x6000 | X86_PTE_P);
	memcpy(ram + 0x6000, code, sizeof(code));
	fetch_seed("long-npt-hole", FZ_FETCH_NPT, 0x6000, &st, 0x9000);

	/* Five-level paging is not walked. */
	long_tables();
	st.cr4 |= X86_CR4_LA57;
	fetch_seed("long-la57", 0, 0, &st, 0x9000);
}
