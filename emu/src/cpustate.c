/* SPDX-License-Identifier: MIT */
/*
 * Exact processor state in and out of the engine.
 *
 * Unicorn has no API for hidden segment state, CPL or the processor mode, yet
 * VMRUN and #VMEXIT must move all of it (APM vol. 2 §15.5.1). The engine's
 * saved context is QEMU's CPUX86State as built into Unicorn 2.1.1; the
 * model edits that blob at the offsets below, then recomputes the flags QEMU
 * derives from segments and control registers. The layout is private to that
 * version, so emu_cpustate_selfcheck() compares it against state produced by
 * real guest instructions before a machine is ever used.
 */
#include <stdio.h>
#include <string.h>

#include "emu_internal.h"
#include "x86/cpu.h"
#include "x86/msr.h"

/*
 * Offsets into CPUX86State, the context data after Unicorn's header (a
 * size_t and three ints: the data starts at byte 20, the header's sizeof
 * is 24 with its padding).
 */
#define CTX_HEADER        20
#define CTX_HEADER_SIZEOF 24
#define ST_REGS           0
#define ST_EIP            128
#define ST_EFLAGS         136
#define ST_CC_SRC         152
#define ST_CC_OP          168
#define ST_DF             172
#define ST_HFLAGS         176
#define ST_SEGS           184 /* ES CS SS DS FS GS, 24 bytes each */
#define ST_LDT            328
#define ST_TR             352
#define ST_GDT            376
#define ST_IDT            400
#define ST_CR             424
#define ST_EFER           560
#define ST_ERROR_CODE     5352
#define ST_EXC_IS_INT     5356
#define ST_EXC_NEXT_EIP   5360
#define ST_DR             5368
#define ST_OLD_EXCEPTION  5464
#define ST_SIZE           5528

/* SegmentCache: u32 selector, pad, u64 base, u32 limit, u32 flags. */
#define SC_SELECTOR 0
#define SC_BASE     8
#define SC_LIMIT    16
#define SC_FLAGS    20

/* QEMU hflags bits (target/i386/cpu.h) that the model keeps exact. */
#define HF_CPL_MASK      0x3u
#define HF_INHIBIT_IRQ   (1u << 3)
#define HF_CS32          (1u << 4)
#define HF_SS32          (1u << 5)
#define HF_ADDSEG        (1u << 6)
#define HF_PE            (1u << 7)
#define HF_MP            (1u << 9)
#define HF_EM            (1u << 10)
#define HF_TS            (1u << 11)
#define HF_LMA           (1u << 14)
#define HF_CS64          (1u << 15)
#define HF_SVME          (1u << 20)
#define HF_OSFXSR        (1u << 22)
#define HF_SMAP          (1u << 23)
#define HF_MANAGED (HF_CPL_MASK | HF_INHIBIT_IRQ | HF_CS32 | HF_SS32 | HF_ADDSEG | HF_PE | \
		    HF_MP | HF_EM | HF_TS | HF_LMA | HF_CS64 | HF_SVME | HF_OSFXSR | HF_SMAP)

/* QEMU's lazy-flags state that says "CC_SRC holds the flags themselves". */
#define CC_OP_EFLAGS 1
#define CC_FLAGS_MASK 0x8d5u /* OF SF ZF AF PF CF */

/* Descriptor high-dword bits as QEMU keeps them in SegmentCache.flags. */
#define DESC_B (1u << 22)
#define DESC_L (1u << 21)

static inline uint8_t *st(struct emu_cpu *cpu)
{
	return (uint8_t *)cpu->ctx + CTX_HEADER;
}

static inline uint64_t rd64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

static inline uint32_t rd32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static inline void wr64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static inline void wr32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

/*
 * The blob is copied out of the engine only when it may differ: after the
 * engine ran or a register was written through the API since the last copy.
 */
static void refresh(struct emu_cpu *cpu)
{
	if (!cpu->ctx_fresh) {
		uc_context_save(cpu->uc, cpu->ctx);
		cpu->ctx_fresh = true;
	}
}

/*
 * RFLAGS as QEMU holds it between runs: whole in eflags, with the lazy
 * condition-code state saying "the flags are in CC_SRC" and DF as +1/-1.
 */
static void put_rflags(uint8_t *s, uint64_t rflags)
{
	wr64(s + ST_EFLAGS, rflags | X86_RFLAGS_FIXED);
	wr64(s + ST_CC_SRC, rflags & CC_FLAGS_MASK);
	wr32(s + ST_CC_OP, CC_OP_EFLAGS);
	wr32(s + ST_DF, (rflags & X86_RFLAGS_DF) ? (uint32_t)-1 : 1u);
}

/* VMCB attrib (12 bits) <-> descriptor high dword. */
static uint32_t attrib_to_flags(uint16_t a)
{
	return ((uint32_t)(a & 0xffu) << 8) | ((uint32_t)(a & 0xf00u) << 12);
}

static uint16_t flags_to_attrib(uint32_t f)
{
	return (uint16_t)(((f >> 8) & 0xffu) | ((f >> 12) & 0xf00u));
}

static void seg_put(uint8_t *sc, const struct x86_seg *s)
{
	wr32(sc + SC_SELECTOR, s->selector);
	wr64(sc + SC_BASE, s->base);
	wr32(sc + SC_LIMIT, s->limit);
	wr32(sc + SC_FLAGS, attrib_to_flags(s->attrib));
}

static void seg_get(const uint8_t *sc, struct x86_seg *s)
{
	s->selector = (uint16_t)rd32(sc + SC_SELECTOR);
	s->base = rd64(sc + SC_BASE);
	s->limit = rd32(sc + SC_LIMIT);
	s->attrib = flags_to_attrib(rd32(sc + SC_FLAGS));
}

/* The hflags QEMU would hold for this state (cpu_x86_load_seg_cache & co). */
static uint32_t compute_hflags(const struct emu_regs *r)
{
	uint32_t h = r->cpl & HF_CPL_MASK;
	uint32_t csf = attrib_to_flags(r->cs.attrib), ssf = attrib_to_flags(r->ss.attrib);

	if (r->cr0 & X86_CR0_PE)
		h |= HF_PE;
	h |= (uint32_t)((r->cr0 << 8) & (HF_MP | HF_EM | HF_TS));
	if (r->efer & X86_EFER_LMA)
		h |= HF_LMA;
	if (r->cr4 & X86_CR4_OSFXSR)
		h |= HF_OSFXSR;
	if (r->cr4 & X86_CR4_SMAP)
		h |= HF_SMAP;
	if ((r->efer & X86_EFER_LMA) && (csf & DESC_L)) {
		h |= HF_CS32 | HF_SS32 | HF_CS64;
	} else {
		if (csf & DESC_B)
			h |= HF_CS32;
		if (ssf & DESC_B)
			h |= HF_SS32;
		if (!(r->cr0 & X86_CR0_PE) || (r->rflags & X86_RFLAGS_VM) || !(h & HF_CS32))
			h |= HF_ADDSEG;
		else if ((r->ds.base | r->es.base | r->ss.base) != 0)
			h |= HF_ADDSEG;
	}
	if (r->shadow)
		h |= HF_INHIBIT_IRQ;
	/* HF_SVME stays clear: the engine must never run its own SVM code. */
	return h;
}

/* Through the API, whatever the blob holds. */
static uint64_t api_reg(struct emu_cpu *cpu, int uc_reg)
{
	uint64_t v = 0;

	uc_reg_read(cpu->uc, uc_reg, &v);
	return v;
}

const int emu_uc_gpr[16] = {
	UC_X86_REG_RAX, UC_X86_REG_RCX, UC_X86_REG_RDX, UC_X86_REG_RBX, UC_X86_REG_RSP,
	UC_X86_REG_RBP, UC_X86_REG_RSI, UC_X86_REG_RDI, UC_X86_REG_R8, UC_X86_REG_R9,
	UC_X86_REG_R10, UC_X86_REG_R11, UC_X86_REG_R12, UC_X86_REG_R13, UC_X86_REG_R14,
	UC_X86_REG_R15,
};

/*
 * The blob s was written from the engine's state `before` (the blob as it
 * was) and then from a new state. When nothing but the general registers,
 * RIP and RFLAGS changed — a VMRUN of the guest that just exited, the
 * common case — they go to the engine through the API, which is exact for
 * them, instead of copying the whole blob in; the blob keeps matching the
 * engine. False when more changed.
 */
static bool load_registers_only(struct emu_cpu *cpu, uint8_t *s, const uint8_t *before,
				uint64_t rflags)
{
	uint64_t now;

	if (memcmp(s + ST_HFLAGS, before + ST_HFLAGS, ST_EFER + 8 - ST_HFLAGS) != 0 ||
	    memcmp(s + ST_DR + 6 * 8, before + ST_EFER + 8, 16) != 0 ||
	    rd32(s + ST_OLD_EXCEPTION) != rd32(before + ST_EFER + 8 + 16))
		return false;
	for (int i = 0; i < 16; i++) {
		now = rd64(s + ST_REGS + 8 * i);
		if (now != rd64(before + ST_REGS + 8 * i))
			uc_reg_write(cpu->uc, emu_uc_gpr[i], &now);
	}
	now = rd64(s + ST_EIP);
	if (now != rd64(before + ST_EIP))
		uc_reg_write(cpu->uc, UC_X86_REG_RIP, &now);
	/* The engine keeps flags lazily: same flags, its own form stays. */
	rflags |= X86_RFLAGS_FIXED;
	if (api_reg(cpu, UC_X86_REG_RFLAGS) != rflags)
		uc_reg_write(cpu->uc, UC_X86_REG_RFLAGS, &rflags);
	else
		memcpy(s + ST_EFLAGS, before + ST_EFLAGS, ST_HFLAGS - ST_EFLAGS);
	return true;
}

void emu_cpustate_load(struct emu_cpu *cpu, const struct emu_regs *r)
{
	uint8_t *s = st(cpu);
	const struct x86_seg *segs[6] = { &r->es, &r->cs, &r->ss, &r->ds, &r->fs, &r->gs };
	/* What the load may change: up to EFER, then DR6/DR7 and the exception state. */
	uint8_t before[ST_EFER + 8 + 16 + 4];

	refresh(cpu);
	memcpy(before, s, ST_EFER + 8);
	memcpy(before + ST_EFER + 8, s + ST_DR + 6 * 8, 16);
	memcpy(before + ST_EFER + 8 + 16, s + ST_OLD_EXCEPTION, 4);
	for (int i = 0; i < 16; i++)
		wr64(s + ST_REGS + 8 * i, r->gpr[i]);
	wr64(s + ST_EIP, r->rip);
	for (int i = 0; i < 6; i++)
		seg_put(s + ST_SEGS + 24 * i, segs[i]);
	seg_put(s + ST_LDT, &r->ldtr);
	seg_put(s + ST_TR, &r->tr);
	wr64(s + ST_GDT + SC_BASE, r->gdtr.base);
	wr32(s + ST_GDT + SC_LIMIT, r->gdtr.limit);
	wr64(s + ST_IDT + SC_BASE, r->idtr.base);
	wr32(s + ST_IDT + SC_LIMIT, r->idtr.limit);
	wr64(s + ST_CR + 0, r->cr0);
	wr64(s + ST_CR + 16, r->cr2);
	wr64(s + ST_CR + 24, r->cr3);
	wr64(s + ST_CR + 32, r->cr4);
	/* EFER.SVME is the model's business, not the engine's. */
	wr64(s + ST_EFER, r->efer & ~X86_EFER_SVME);
	wr64(s + ST_DR + 6 * 8, r->dr6);
	wr64(s + ST_DR + 7 * 8, r->dr7);
	wr32(s + ST_HFLAGS, (rd32(s + ST_HFLAGS) & ~HF_MANAGED) | compute_hflags(r));
	wr32(s + ST_OLD_EXCEPTION, (uint32_t)-1);
	put_rflags(s, r->rflags);
	if (!load_registers_only(cpu, s, before, r->rflags))
		uc_context_restore(cpu->uc, cpu->ctx);
	emu_cpustate_note_mode(cpu, r);
}

void emu_cpustate_note_mode(struct emu_cpu *cpu, const struct emu_regs *r)
{
	cpu->mode_cs = r->cs.selector;
	cpu->mode_cr0 = r->cr0;
	if (!(r->cr0 & X86_CR0_PE))
		cpu->mode = 16;
	else if ((r->efer & X86_EFER_LMA) && (r->cs.attrib & X86_SEG_L))
		cpu->mode = 64;
	else
		cpu->mode = (r->cs.attrib & X86_SEG_DB) ? 32 : 16;
	cpu->cs_base = cpu->mode == 64 ? 0 : r->cs.base;
}

void emu_cpustate_store(struct emu_cpu *cpu, struct emu_regs *r)
{
	const uint8_t *s = st(cpu);
	struct x86_seg *segs[6] = { &r->es, &r->cs, &r->ss, &r->ds, &r->fs, &r->gs };
	uint32_t hflags;

	refresh(cpu);
	for (int i = 0; i < 16; i++)
		r->gpr[i] = rd64(s + ST_REGS + 8 * i);
	r->rip = rd64(s + ST_EIP);
	for (int i = 0; i < 6; i++)
		seg_get(s + ST_SEGS + 24 * i, segs[i]);
	seg_get(s + ST_LDT, &r->ldtr);
	seg_get(s + ST_TR, &r->tr);
	memset(&r->gdtr, 0, sizeof(r->gdtr));
	memset(&r->idtr, 0, sizeof(r->idtr));
	r->gdtr.base = rd64(s + ST_GDT + SC_BASE);
	r->gdtr.limit = rd32(s + ST_GDT + SC_LIMIT);
	r->idtr.base = rd64(s + ST_IDT + SC_BASE);
	r->idtr.limit = rd32(s + ST_IDT + SC_LIMIT);
	r->cr0 = rd64(s + ST_CR + 0);
	r->cr2 = rd64(s + ST_CR + 16);
	r->cr3 = rd64(s + ST_CR + 24);
	r->cr4 = rd64(s + ST_CR + 32);
	r->efer = rd64(s + ST_EFER);
	r->dr6 = rd64(s + ST_DR + 6 * 8);
	r->dr7 = rd64(s + ST_DR + 7 * 8);
	hflags = rd32(s + ST_HFLAGS);
	r->cpl = hflags & HF_CPL_MASK;
	r->shadow = (hflags & HF_INHIBIT_IRQ) != 0;
	uc_reg_read(cpu->uc, UC_X86_REG_RFLAGS, &r->rflags);
}

uint64_t emu_cpustate_dr(struct emu_cpu *cpu, int n)
{
	refresh(cpu);
	return rd64(st(cpu) + ST_DR + 8 * n);
}

/* Through the blob: Unicorn's own DR writes arm QEMU breakpoints. */
void emu_cpustate_set_dr(struct emu_cpu *cpu, int n, uint64_t v)
{
	refresh(cpu);
	wr64(st(cpu) + ST_DR + 8 * n, v);
	uc_context_restore(cpu->uc, cpu->ctx);
}

/* Where a register lives in the blob, 64 bits wide (selectors: 16 in a
 * 32-bit field); -1 for those only the API gives (RFLAGS is computed from
 * QEMU's lazy condition codes). */
static int blob_offset(int uc_reg)
{
	static const uint8_t gpr[] = {
		[UC_X86_REG_RAX] = 0, [UC_X86_REG_RCX] = 1, [UC_X86_REG_RDX] = 2,
		[UC_X86_REG_RBX] = 3, [UC_X86_REG_RSP] = 4, [UC_X86_REG_RBP] = 5,
		[UC_X86_REG_RSI] = 6, [UC_X86_REG_RDI] = 7, [UC_X86_REG_R8] = 8,
		[UC_X86_REG_R9] = 9, [UC_X86_REG_R10] = 10, [UC_X86_REG_R11] = 11,
		[UC_X86_REG_R12] = 12, [UC_X86_REG_R13] = 13, [UC_X86_REG_R14] = 14,
		[UC_X86_REG_R15] = 15,
	};

	switch (uc_reg) {
	case UC_X86_REG_RAX: case UC_X86_REG_RCX: case UC_X86_REG_RDX: case UC_X86_REG_RBX:
	case UC_X86_REG_RSP: case UC_X86_REG_RBP: case UC_X86_REG_RSI: case UC_X86_REG_RDI:
	case UC_X86_REG_R8: case UC_X86_REG_R9: case UC_X86_REG_R10: case UC_X86_REG_R11:
	case UC_X86_REG_R12: case UC_X86_REG_R13: case UC_X86_REG_R14: case UC_X86_REG_R15:
		return ST_REGS + 8 * gpr[uc_reg];
	case UC_X86_REG_RIP: return ST_EIP;
	case UC_X86_REG_CR0: return ST_CR + 0;
	case UC_X86_REG_CR2: return ST_CR + 16;
	case UC_X86_REG_CR3: return ST_CR + 24;
	case UC_X86_REG_CR4: return ST_CR + 32;
	case UC_X86_REG_ES: return ST_SEGS + 24 * 0 + SC_SELECTOR;
	case UC_X86_REG_CS: return ST_SEGS + 24 * 1 + SC_SELECTOR;
	case UC_X86_REG_SS: return ST_SEGS + 24 * 2 + SC_SELECTOR;
	case UC_X86_REG_DS: return ST_SEGS + 24 * 3 + SC_SELECTOR;
	case UC_X86_REG_FS: return ST_SEGS + 24 * 4 + SC_SELECTOR;
	case UC_X86_REG_GS: return ST_SEGS + 24 * 5 + SC_SELECTOR;
	case UC_X86_REG_FS_BASE: return ST_SEGS + 24 * 4 + SC_BASE;
	case UC_X86_REG_GS_BASE: return ST_SEGS + 24 * 5 + SC_BASE;
	default: return -1;
	}
}

/*
 * Between runs the blob is read instead of the API, a call per register:
 * a stop is followed by many reads (decoding, translation, #VMEXIT), and
 * a #VMEXIT copies the blob out anyway. During a run (in a hook) the
 * state moves on under any copy, so the API it is.
 */
uint64_t emu_reg_get(struct emu_cpu *cpu, int uc_reg)
{
	int off = blob_offset(uc_reg);

	if (cpu->in_engine || off < 0)
		return api_reg(cpu, uc_reg);
	refresh(cpu);
	if (off >= ST_SEGS && off < ST_LDT && (off - ST_SEGS) % 24 == SC_SELECTOR)
		return rd32(st(cpu) + off) & 0xffffu; /* a selector */
	return rd64(st(cpu) + off);
}

uint64_t emu_cpustate_efer(struct emu_cpu *cpu)
{
	uc_x86_msr efer = { .rid = MSR_EFER };

	if (cpu->in_engine) {
		uc_reg_read(cpu->uc, UC_X86_REG_MSR, &efer);
		return efer.value;
	}
	refresh(cpu);
	return rd64(st(cpu) + ST_EFER);
}

void emu_reg_set(struct emu_cpu *cpu, int uc_reg, uint64_t v)
{
	if (uc_reg == UC_X86_REG_CR2) {
		/* Unicorn 2.1.1 writes CR3 as well as CR2 here: put CR3 back. */
		uint64_t cr3 = emu_reg_get(cpu, UC_X86_REG_CR3);

		uc_reg_write(cpu->uc, uc_reg, &v);
		uc_reg_write(cpu->uc, UC_X86_REG_CR3, &cr3);
	} else {
		uc_reg_write(cpu->uc, uc_reg, &v);
	}
	cpu->ctx_fresh = false;
}

uint32_t emu_cpustate_error_code(struct emu_cpu *cpu)
{
	/* Called from inside a hook: the engine goes on, so the copy is stale at once. */
	uc_context_save(cpu->uc, cpu->ctx);
	cpu->ctx_fresh = false;
	return rd32(st(cpu) + ST_ERROR_CODE);
}

/*
 * Unicorn reports an exception to the hook and never delivers it, so QEMU's
 * "exception in flight" stays set and would turn the next fault into a #DF.
 * The model delivers exceptions itself and clears that state.
 */
void emu_cpustate_clear_exception(struct emu_cpu *cpu)
{
	refresh(cpu);
	wr32(st(cpu) + ST_OLD_EXCEPTION, (uint32_t)-1);
	wr32(st(cpu) + ST_EXC_IS_INT, 0);
	uc_context_restore(cpu->uc, cpu->ctx);
}

/*
 * Compare the layout assumptions with what real instructions produced: the
 * engine has just run the bootstrap (lgdt, paging on, far return into a
 * 64-bit code segment, data segments loaded, a #GP with a known error code).
 */
int emu_cpustate_selfcheck(struct emu_cpu *cpu, char *err, size_t errlen)
{
	struct emu_regs r;
	uint64_t v;
	const uint8_t *s;

	if (uc_context_size(cpu->uc) != CTX_HEADER_SIZEOF + ST_SIZE) {
		snprintf(err, errlen,
			 "unsupported libunicorn: CPU context is %zu bytes, the model knows %d "
			 "(Unicorn 2.1.1)",
			 uc_context_size(cpu->uc), CTX_HEADER_SIZEOF + ST_SIZE);
		return -1;
	}
	emu_cpustate_store(cpu, &r);
	s = st(cpu);
#define SELFCHECK(cond, what)                                                            \
	do {                                                                              \
		if (!(cond)) {                                                            \
			snprintf(err, errlen, "libunicorn CPU state layout check failed: %s", \
				 what);                                                   \
			return -1;                                                        \
		}                                                                         \
	} while (0)
	SELFCHECK(r.gpr[X86_RBX] == api_reg(cpu, UC_X86_REG_RBX), "RBX");
	SELFCHECK(r.gpr[X86_R15] == api_reg(cpu, UC_X86_REG_R15), "R15");
	SELFCHECK(r.rip == api_reg(cpu, UC_X86_REG_RIP), "RIP");
	SELFCHECK(r.cs.selector == api_reg(cpu, UC_X86_REG_CS), "CS selector");
	SELFCHECK(r.ss.selector == api_reg(cpu, UC_X86_REG_SS), "SS selector");
	SELFCHECK(r.ds.selector == api_reg(cpu, UC_X86_REG_DS), "DS selector");
	SELFCHECK(r.cr0 == api_reg(cpu, UC_X86_REG_CR0), "CR0");
	SELFCHECK(r.cr3 == api_reg(cpu, UC_X86_REG_CR3), "CR3");
	SELFCHECK(r.cr4 == api_reg(cpu, UC_X86_REG_CR4), "CR4");
	SELFCHECK(r.dr7 == api_reg(cpu, UC_X86_REG_DR7), "DR7");
	SELFCHECK(r.gdtr.base == 0x1000 && r.gdtr.limit == 0x2f, "GDTR");
	SELFCHECK(r.cs.attrib == 0xa9b, "CS attributes");
	SELFCHECK(r.ds.attrib == 0xc93, "DS attributes");
	SELFCHECK((r.efer & (X86_EFER_LME | X86_EFER_LMA)) == (X86_EFER_LME | X86_EFER_LMA),
		  "EFER");
	/* RFLAGS written into the blob must read back through the API. */
	{
		uint64_t want = X86_RFLAGS_FIXED | X86_RFLAGS_ZF | X86_RFLAGS_CF | X86_RFLAGS_DF |
				X86_RFLAGS_OF;
		uint8_t *w = st(cpu);

		put_rflags(w, want);
		uc_context_restore(cpu->uc, cpu->ctx);
		SELFCHECK(api_reg(cpu, UC_X86_REG_RFLAGS) == want, "RFLAGS");
		put_rflags(w, X86_RFLAGS_FIXED);
		uc_context_restore(cpu->uc, cpu->ctx);
		SELFCHECK(api_reg(cpu, UC_X86_REG_RFLAGS) == X86_RFLAGS_FIXED, "RFLAGS");
	}
	/* The bootstrap ends with "mov ds, 0x1230", beyond the GDT: #GP(0x1230). */
	SELFCHECK(cpu->stop_error == 0x1230, "exception error code");
	v = rd32(s + ST_HFLAGS) & HF_MANAGED & ~HF_INHIBIT_IRQ;
	SELFCHECK(v == (compute_hflags(&r) & ~HF_INHIBIT_IRQ), "derived flags");
#undef SELFCHECK
	return 0;
}

void emu_regs_from_gprs(struct emu_regs *r, const struct arch_gprs *g, bool with_rax)
{
	if (with_rax)
		r->gpr[X86_RAX] = g->rax;
	r->gpr[X86_RBX] = g->rbx;
	r->gpr[X86_RCX] = g->rcx;
	r->gpr[X86_RDX] = g->rdx;
	r->gpr[X86_RSI] = g->rsi;
	r->gpr[X86_RDI] = g->rdi;
	r->gpr[X86_RBP] = g->rbp;
	r->gpr[X86_R8] = g->r8;
	r->gpr[X86_R9] = g->r9;
	r->gpr[X86_R10] = g->r10;
	r->gpr[X86_R11] = g->r11;
	r->gpr[X86_R12] = g->r12;
	r->gpr[X86_R13] = g->r13;
	r->gpr[X86_R14] = g->r14;
	r->gpr[X86_R15] = g->r15;
}

void emu_regs_to_gprs(const struct emu_regs *r, struct arch_gprs *g, bool with_rax)
{
	if (with_rax)
		g->rax = r->gpr[X86_RAX];
	g->rbx = r->gpr[X86_RBX];
	g->rcx = r->gpr[X86_RCX];
	g->rdx = r->gpr[X86_RDX];
	g->rsi = r->gpr[X86_RSI];
	g->rdi = r->gpr[X86_RDI];
	g->rbp = r->gpr[X86_RBP];
	g->r8 = r->gpr[X86_R8];
	g->r9 = r->gpr[X86_R9];
	g->r10 = r->gpr[X86_R10];
	g->r11 = r->gpr[X86_R11];
	g->r12 = r->gpr[X86_R12];
	g->r13 = r->gpr[X86_R13];
	g->r14 = r->gpr[X86_R14];
	g->r15 = r->gpr[X86_R15];
}
