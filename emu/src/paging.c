/* SPDX-License-Identifier: MIT */
/*
 * Linear to system-physical translation: the guest's paging (APM vol. 2
 * §5: legacy 32-bit, PAE and 4-level long mode, 4 KiB/2 MiB/4 MiB/1 GiB
 * pages) and, while a processor model has one in effect, the second level
 * (nested paging, §15.25) under every guest-physical address the walk
 * touches. The engine's own TLB uses it under nested paging (vtlb.c); the
 * model uses it wherever it touches guest memory itself: event delivery
 * (IDT, GDT, TSS, stack), instruction decoding, decode assists.
 */
#include <string.h>

#include "emu_internal.h"
#include "x86/cpu.h"
#include "x86/msr.h"

/* MAXPHYADDR as CPUID Fn8000_0008 reports it (svm-model/cpuid.c). */
#define MAXPHY_BITS 40
#define PHYS_MASK ((1ull << MAXPHY_BITS) - 1)
/* Entry bits that must be zero: the physical address above MAXPHYADDR. */
#define RSVD_HI (((1ull << 52) - 1) & ~PHYS_MASK)

struct walk {
	uint64_t cr0, cr3, cr4, efer, rflags;
	bool user, implicit, peek;
	unsigned cpl;
	/* The entries met, where they live, for the accessed/dirty updates. */
	uint64_t entry[5], spa[5];
	unsigned size, n;
};

unsigned emu_xlate_flags(struct emu_cpu *cpu)
{
	uint64_t cr0 = emu_reg_get(cpu, UC_X86_REG_CR0);

	/* CS.RPL is the CPL in protected mode; virtual-8086 code runs at 3. */
	if (!(cr0 & X86_CR0_PE))
		return 0;
	if ((emu_reg_get(cpu, UC_X86_REG_RFLAGS) & X86_RFLAGS_VM) ||
	    (emu_reg_get(cpu, UC_X86_REG_CS) & 3) == 3)
		return EMU_XL_USER;
	return 0;
}

static void load_context(struct emu_cpu *cpu, struct walk *w, unsigned flags)
{
	w->cr0 = emu_reg_get(cpu, UC_X86_REG_CR0);
	w->cr3 = emu_reg_get(cpu, UC_X86_REG_CR3);
	w->cr4 = emu_reg_get(cpu, UC_X86_REG_CR4);
	w->efer = emu_cpustate_efer(cpu);
	w->rflags = emu_reg_get(cpu, UC_X86_REG_RFLAGS);
	w->user = (flags & EMU_XL_USER) != 0;
	w->implicit = (flags & EMU_XL_IMPLICIT) != 0;
	w->peek = (flags & EMU_XL_PEEK) != 0;
	w->cpl = w->user ? 3 : 0;
	w->n = 0;
}

/*
 * A guest-physical address the walk touches, as a system-physical one: a
 * read of a table entry, which the processor model's second level may
 * treat as a write (they may set accessed/dirty bits).
 */
static int table_spa(struct emu_cpu *cpu, const struct walk *w, uint64_t gpa, uint64_t *spa,
		     struct emu_xlate *x)
{
	struct emu_slat_leaf leaf;
	uint64_t info;

	if (!cpu->slat) {
		*spa = gpa;
		return 0;
	}
	if (cpu->slat->walk(cpu, gpa, EMU_ACC_READ, EMU_SLAT_TABLE | (w->peek ? 0 : EMU_SLAT_SET_AD),
			    &leaf, &info) != 0) {
		x->fault = EMU_XF_SLAT;
		x->slat_table = true;
		x->slat_gpa = gpa;
		x->slat_info = info;
		return -1;
	}
	*spa = leaf.spa | (gpa & 0xfff);
	return 0;
}

/* One table entry; memory that is not there reads as all ones. */
static int read_entry(struct emu_cpu *cpu, struct walk *w, uint64_t gpa, uint64_t *e,
		      struct emu_xlate *x)
{
	uint64_t spa;
	const void *p;

	if (table_spa(cpu, w, gpa, &spa, x) != 0)
		return -1;
	p = emu_ram_ptr(cpu->m, spa, w->size);
	*e = ~0ull;
	if (p) {
		*e = 0;
		memcpy(e, p, w->size);
	} else if (w->size == 4) {
		*e = 0xffffffffull;
	}
	w->entry[w->n] = *e;
	w->spa[w->n] = p ? spa : ~0ull;
	w->n++;
	return 0;
}

static int pf(struct emu_xlate *x, uint32_t err)
{
	x->fault = EMU_XF_PF;
	x->pf_error = err;
	return -1;
}

/* Accessed on every entry the walk used, dirty on the leaf of a write. */
static void set_ad(struct emu_cpu *cpu, const struct walk *w, bool write)
{
	for (unsigned i = 0; i < w->n; i++) {
		uint64_t e = w->entry[i] | X86_PTE_A;
		void *p;

		if (i == w->n - 1 && write)
			e |= X86_PTE_D;
		if (e == w->entry[i] || w->spa[i] == ~0ull)
			continue;
		if ((p = emu_ram_ptr(cpu->m, w->spa[i], w->size)))
			memcpy(p, &e, w->size);
	}
}

int emu_xlate(struct emu_cpu *cpu, uint64_t la, enum emu_access acc, unsigned flags,
	      struct emu_xlate *x)
{
	struct walk w;
	bool write = acc == EMU_ACC_WRITE, fetch = acc == EMU_ACC_FETCH;
	bool rw = true, us = true, nx = false, dirty = true;
	uint32_t err;
	uint64_t gpa;

	memset(x, 0, sizeof(*x));
	x->la = la;
	load_context(cpu, &w, flags);
	err = (write ? X86_PF_W : 0) | (w.user ? X86_PF_U : 0);
	if (!(w.cr0 & X86_CR0_PG)) {
		/* Without paging a 32-bit address is the guest-physical one. */
		gpa = la & 0xffffffffull;
		x->writable = true;
		x->executable = true;
	} else {
		bool nxe = (w.efer & X86_EFER_NXE) != 0, lma = (w.efer & X86_EFER_LMA) != 0;
		bool pae = (w.cr4 & X86_CR4_PAE) != 0;
		int levels = lma ? 4 : pae ? 3 : 2;
		uint64_t table, e = 0, page = 4096;

		/* APM §5.3.1: the I/D bit is reported when NX or SMEP is enabled. */
		if (fetch && ((nxe && pae) || (w.cr4 & X86_CR4_SMEP)))
			err |= X86_PF_ID;
		if (lma && (uint64_t)((int64_t)(la << 16) >> 16) != la) {
			x->fault = EMU_XF_GP;
			return -1;
		}
		w.size = levels == 2 ? 4 : 8;
		if (levels == 2)
			la &= 0xffffffffull;
		table = levels == 4 ? w.cr3 & PHYS_MASK & ~0xfffull :
			levels == 3 ? w.cr3 & 0xffffffe0ull : w.cr3 & 0xfffff000ull;
		for (int lvl = levels;; lvl--) {
			unsigned shift = levels == 2 ? (lvl == 2 ? 22 : 12) : 12 + 9 * (unsigned)(lvl - 1);
			unsigned bits = levels == 2 ? 10 : (levels == 3 && lvl == 3) ? 2 : 9;
			uint64_t rsvd = 0;
			bool pdpte = levels == 3 && lvl == 3, leaf;

			if (read_entry(cpu, &w, table + ((la >> shift) & ((1ull << bits) - 1)) * w.size,
				       &e, x) != 0)
				return -1;
			if (!(e & X86_PTE_P))
				return pf(x, err);
			if (pdpte)
				w.spa[w.n - 1] = ~0ull; /* no accessed bit in a PDPTE register */
			leaf = lvl == 1 || (!pdpte && lvl <= 3 && (e & X86_PTE_PS) &&
					    (levels != 2 || (w.cr4 & X86_CR4_PSE)));
			if (levels != 2) {
				/* §5.3.3/§5.4: address bits above MAXPHYADDR; NX without
				 * EFER.NXE; PS in a PML4E; the large-page frame's low bits
				 * but PAT; in PAE mode bits 62:52 too. */
				rsvd = RSVD_HI | (nxe ? 0 : X86_PTE_NX) |
				       (levels == 3 ? 0x7ff0000000000000ull : 0);
				if (lvl == 4 && (e & X86_PTE_PS))
					rsvd |= X86_PTE_PS;
				if (leaf && lvl > 1)
					rsvd |= ((1ull << shift) - 1) & ~0x1fffull;
				if (pdpte) /* §5.3.3: PAE PDPTEs hold only P, PWT, PCD, AVL */
					rsvd = ~PHYS_MASK | 0x1e6ull;
			} else if (leaf && lvl == 2) {
				/* PSE-36: bits 20:13 are address bits 39:32, bit 21 reserved. */
				rsvd = 1ull << 21;
			}
			if (e & rsvd)
				return pf(x, err | X86_PF_RSV | X86_PF_P);
			if (!pdpte) {
				rw = rw && (e & X86_PTE_W);
				us = us && (e & X86_PTE_U);
				nx = nx || (nxe && (e & X86_PTE_NX));
			}
			if (leaf) {
				page = 1ull << shift;
				if (levels == 2 && lvl == 2)
					gpa = (e & 0xffc00000ull) | ((e & 0x1fe000ull) << 19);
				else
					gpa = e & PHYS_MASK & ~(page - 1) & ~0xfffull;
				gpa += la & (page - 1);
				dirty = (e & X86_PTE_D) != 0;
				break;
			}
			table = e & (levels == 2 ? 0xfffff000ull : PHYS_MASK & ~0xfffull);
		}
		err |= X86_PF_P;
		/* §5.6: U/S, R/W with CR0.WP, NX, SMEP; SMAP for supervisor data
		 * accesses to user pages, which RFLAGS.AC lifts only for explicit
		 * accesses below CPL 3 — the mmu indexes QEMU keys its TLB by. */
		bool wp_blocks = !rw && (w.user || (w.cr0 & X86_CR0_WP));
		bool smep = !w.user && us && (w.cr4 & X86_CR4_SMEP);
		bool smap = !w.user && us && (w.cr4 & X86_CR4_SMAP) && !fetch &&
			    (w.implicit || !(w.rflags & X86_RFLAGS_AC));

		if (w.user && !us)
			return pf(x, err);
		if (write && wp_blocks)
			return pf(x, err);
		if (fetch && (nx || smep))
			return pf(x, err);
		if (smap)
			return pf(x, err);
		x->writable = !wp_blocks && (dirty || write);
		x->executable = !nx && !smep;
	}
	x->gpa = gpa;
	x->spa = gpa;
	if (cpu->slat) {
		struct emu_slat_leaf leaf;
		uint64_t info;

		if (cpu->slat->walk(cpu, gpa, acc, w.peek ? 0 : EMU_SLAT_SET_AD, &leaf, &info) != 0) {
			x->fault = EMU_XF_SLAT;
			x->slat_gpa = gpa;
			x->slat_info = info;
			return -1;
		}
		x->spa = leaf.spa | (gpa & 0xfff);
		x->writable = x->writable && leaf.writable && (leaf.dirty || write);
		x->executable = x->executable && leaf.executable;
	}
	/* Accessed and dirty once the whole translation stands. */
	if (!w.peek && (w.cr0 & X86_CR0_PG))
		set_ad(cpu, &w, write);
	return 0;
}

static int lin_copy(struct emu_cpu *cpu, uint64_t la, void *buf, size_t n, unsigned flags,
		    bool write, struct emu_xlate *x)
{
	uint8_t *b = buf;

	while (n) {
		size_t chunk = 4096 - (la & 4095);
		void *p;

		if (chunk > n)
			chunk = n;
		if (emu_xlate(cpu, la, write ? EMU_ACC_WRITE : EMU_ACC_READ, flags, x) != 0)
			return -1;
		p = emu_ram_ptr(cpu->m, x->spa, chunk);
		if (!p) {
			/* Outside RAM: reads see all ones, writes go nowhere. */
			if (!write)
				memset(b, 0xff, chunk);
		} else if (write) {
			memcpy(p, b, chunk);
		} else {
			memcpy(b, p, chunk);
		}
		la += chunk;
		b += chunk;
		n -= chunk;
	}
	return 0;
}

int emu_lin_read(struct emu_cpu *cpu, uint64_t la, void *buf, size_t n, unsigned flags,
		 struct emu_xlate *x)
{
	return lin_copy(cpu, la, buf, n, flags, false, x);
}

int emu_lin_write(struct emu_cpu *cpu, uint64_t la, const void *buf, size_t n, unsigned flags,
		  struct emu_xlate *x)
{
	return lin_copy(cpu, la, (void *)(uintptr_t)buf, n, flags, true, x);
}

size_t emu_lin_peek(struct emu_cpu *cpu, uint64_t la, void *buf, size_t n)
{
	struct emu_xlate x;
	size_t done = 0;

	while (done < n) {
		size_t chunk = 4096 - (la & 4095);

		if (chunk > n - done)
			chunk = n - done;
		if (emu_lin_read(cpu, la, (uint8_t *)buf + done, chunk, EMU_XL_PEEK, &x) != 0)
			break;
		la += chunk;
		done += chunk;
	}
	return done;
}
