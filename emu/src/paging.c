/* SPDX-License-Identifier: MIT */
/*
 * Linear-to-physical translation under the processor's current paging mode
 * (APM vol. 2 §5), used where the model itself touches guest memory: event
 * delivery (IDT, stack), instruction decoding, decode assists. Legacy
 * 32-bit, PAE and 4-level long-mode paging with large pages, the U/S, R/W
 * (with CR0.WP) and NX checks, and the accessed/dirty updates a walk makes.
 */
#include <string.h>

#include "emu_internal.h"
#include "x86/cpu.h"

static bool read_pte(struct emu_cpu *cpu, uint64_t pa, unsigned size, uint64_t *v)
{
	void *p = emu_gpa_ptr(cpu, pa, size);

	if (!p) {
		/* Under nested paging: the first table entry the walk could not
		 * reach, for a #NPF on the guest's own walk (svm-model/events.c). */
		if (cpu->gpa_mode && !cpu->walk_gpa_valid) {
			cpu->walk_gpa_valid = true;
			cpu->walk_gpa = pa;
		}
		/* Non-existent memory reads as all ones (no device answers). */
		*v = ~0ull;
		return false;
	}
	*v = 0;
	memcpy(v, p, size);
	return true;
}

static void write_pte(struct emu_cpu *cpu, uint64_t pa, unsigned size, uint64_t v)
{
	void *p = emu_gpa_ptr(cpu, pa, size);

	if (p)
		memcpy(p, &v, size);
}

int emu_translate(struct emu_cpu *cpu, uint64_t la, enum emu_access acc, bool user,
		  uint64_t *pa, uint32_t *pf_error)
{
	uint64_t cr0 = emu_reg_get(cpu, UC_X86_REG_CR0);
	uint64_t cr4, cr3, efer = 0;
	bool write = acc == EMU_ACC_WRITE, fetch = acc == EMU_ACC_FETCH;
	uint32_t err = (write ? X86_PF_W : 0) | (user ? X86_PF_U : 0);
	uint64_t maxpa_mask = (1ull << 40) - 1;
	bool rw = true, us = true, nx = false;

	if (!(cr0 & X86_CR0_PG)) {
		*pa = la;
		return 0;
	}
	cr4 = emu_reg_get(cpu, UC_X86_REG_CR4);
	cr3 = emu_reg_get(cpu, UC_X86_REG_CR3);
	{
		uc_x86_msr msr = { .rid = 0xc0000080u };

		uc_reg_read(cpu->uc, UC_X86_REG_MSR, &msr);
		efer = msr.value;
	}
	bool nxe = (efer & X86_EFER_NXE) != 0;
	if (fetch && nxe)
		err |= X86_PF_ID;

	uint64_t entries[5];
	uint64_t addrs[5];
	int levels, n = 0;
	uint64_t table, page_size = 4096, out = 0;
	unsigned esz = 8;

	if (efer & X86_EFER_LMA) {
		levels = 4;
		table = cr3 & 0x000ffffffffff000ull;
	} else if (cr4 & X86_CR4_PAE) {
		levels = 3;
		table = cr3 & 0xffffffe0ull;
	} else {
		levels = 2;
		esz = 4;
		table = cr3 & 0xfffff000ull;
		la &= 0xffffffffull;
	}
	for (int lvl = levels; lvl >= 1; lvl--) {
		unsigned shift = esz == 4 ? (lvl == 2 ? 22 : 12) : 12 + 9 * (unsigned)(lvl - 1);
		unsigned bits = esz == 4 ? 10 : (levels == 3 && lvl == 3 ? 2 : 9);
		uint64_t idx = (la >> shift) & ((1ull << bits) - 1);
		uint64_t eaddr = table + idx * esz, e;

		read_pte(cpu, eaddr, esz, &e);
		entries[n] = e;
		addrs[n++] = eaddr;
		if (!(e & X86_PTE_P))
			goto fault;
		/* Reserved bits: physical address bits above MAXPHYADDR, NX without NXE. */
		if (esz == 8 && ((e & ~maxpa_mask & 0x7ff0000000000000ull) ||
				 (!nxe && (e & X86_PTE_NX)))) {
			err |= X86_PF_RSV | X86_PF_P;
			goto fault_rsv;
		}
		if (!(levels == 3 && lvl == 3)) {
			rw = rw && (e & X86_PTE_W);
			us = us && (e & X86_PTE_U);
		}
		if (esz == 8 && (e & X86_PTE_NX))
			nx = true;
		bool large = lvl > 1 && (e & X86_PTE_PS) &&
			     (esz == 4 ? (cr4 & X86_CR4_PSE) != 0 : (lvl <= 3 && !(levels == 3 && lvl == 3)));
		if (lvl == 1 || large) {
			page_size = 1ull << shift;
			if (esz == 4 && large)
				out = ((e & 0xffc00000ull) | ((e & 0x1fe000ull) << 19)) + (la & (page_size - 1));
			else
				out = (e & maxpa_mask & ~(page_size - 1) & ~0xfffull) +
				      (la & (page_size - 1));
			break;
		}
		table = e & (esz == 4 ? 0xfffff000ull : (maxpa_mask & ~0xfffull));
	}
	err |= X86_PF_P;
	if (user && !us)
		goto fault_p;
	if (write && !rw && (user || (cr0 & X86_CR0_WP)))
		goto fault_p;
	if (fetch && nx)
		goto fault_p;
	if (!user && fetch && us && (cr4 & X86_CR4_SMEP))
		goto fault_p;
	/* Accessed on every level; dirty on the leaf of a write. */
	for (int i = 0; i < n; i++) {
		uint64_t e = entries[i] | X86_PTE_A;

		if (i == n - 1 && write)
			e |= X86_PTE_D;
		if (e != entries[i])
			write_pte(cpu, addrs[i], esz, e);
	}
	*pa = out;
	return 0;
fault:
	*pf_error = err;
	return -1;
fault_rsv:
fault_p:
	*pf_error = err;
	return -1;
}

static int lin_copy(struct emu_cpu *cpu, uint64_t la, void *buf, size_t n, bool user, bool write,
		    uint64_t *fault_la, uint32_t *pf_error)
{
	uint8_t *b = buf;

	while (n) {
		uint64_t pa;
		size_t chunk = 4096 - (la & 4095);
		void *p;

		if (chunk > n)
			chunk = n;
		if (emu_translate(cpu, la, write ? EMU_ACC_WRITE : EMU_ACC_READ, user, &pa,
				  pf_error) != 0) {
			*fault_la = la;
			return -1;
		}
		p = emu_gpa_ptr(cpu, pa, chunk);
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

int emu_lin_read(struct emu_cpu *cpu, uint64_t la, void *buf, size_t n, bool user,
		 uint64_t *fault_la, uint32_t *pf_error)
{
	return lin_copy(cpu, la, buf, n, user, false, fault_la, pf_error);
}

int emu_lin_write(struct emu_cpu *cpu, uint64_t la, const void *buf, size_t n, bool user,
		  uint64_t *fault_la, uint32_t *pf_error)
{
	return lin_copy(cpu, la, (void *)(uintptr_t)buf, n, user, true, fault_la, pf_error);
}

/*
 * Unicorn 2.0.1 walks the guest's page tables for faults and permissions
 * but then maps every linear page to the physical page of the same number
 * (its x86 MMU sets paddr = vaddr after the walk). A guest whose present
 * mappings are not identity would read and write the wrong memory, so the
 * model checks every present leaf whenever a paging state is loaded and
 * refuses to run a guest that breaks the rule.
 */
struct idcheck {
	struct emu_cpu *cpu;
	uint64_t bad_la, bad_pa;
};

static bool leaf_ok(struct idcheck *c, uint64_t la, uint64_t pa)
{
	if (la == pa)
		return true;
	c->bad_la = la;
	c->bad_pa = pa;
	return false;
}

static bool walk64(struct idcheck *c, uint64_t table, int level, uint64_t la_base)
{
	unsigned shift = 12 + 9 * (unsigned)(level - 1);
	unsigned n = 512;
	const uint64_t *t = emu_gpa_ptr(c->cpu, table, (uint64_t)n * 8);

	emu_engine_gpa_touch(c->cpu, table);

	if (!t)
		return true; /* tables outside RAM read as all ones: reserved bits, #PF */
	for (unsigned i = 0; i < n; i++) {
		uint64_t e = t[i], la = la_base + ((uint64_t)i << shift);
		uint64_t addr = e & 0x000ffffffffff000ull;

		if (!(e & X86_PTE_P))
			continue;
		if (level == 4 && i >= 256)
			la |= 0xffff000000000000ull; /* upper half, sign-extended */
		if (level == 1 || (level <= 3 && (e & X86_PTE_PS))) {
			if (!leaf_ok(c, la, addr & ~((1ull << shift) - 1)))
				return false;
			continue;
		}
		if (!walk64(c, addr, level - 1, la))
			return false;
	}
	return true;
}

/* PAE: four PDPTEs of 1 GiB each, then page directories as in long mode. */
static bool walk_pae(struct idcheck *c, uint64_t pdpt)
{
	const uint64_t *t = emu_gpa_ptr(c->cpu, pdpt, 32);

	emu_engine_gpa_touch(c->cpu, pdpt);

	if (!t)
		return true;
	for (unsigned i = 0; i < 4; i++) {
		if ((t[i] & X86_PTE_P) &&
		    !walk64(c, t[i] & 0x000ffffffffff000ull, 2, (uint64_t)i << 30))
			return false;
	}
	return true;
}

static bool walk32(struct idcheck *c, uint64_t cr3, bool pse)
{
	const uint32_t *pd = emu_gpa_ptr(c->cpu, cr3 & 0xfffff000u, 4096);

	if (!pd)
		return true;
	for (unsigned i = 0; i < 1024; i++) {
		uint32_t e = pd[i];
		uint64_t la = (uint64_t)i << 22;

		if (!(e & X86_PTE_P))
			continue;
		if (pse && (e & X86_PTE_PS)) {
			uint64_t pa = (e & 0xffc00000u) | ((uint64_t)(e & 0x1fe000u) << 19);

			if (!leaf_ok(c, la, pa))
				return false;
			continue;
		}
		const uint32_t *pt = emu_gpa_ptr(c->cpu, e & 0xfffff000u, 4096);

		if (!pt)
			continue;
		for (unsigned j = 0; j < 1024; j++) {
			if ((pt[j] & X86_PTE_P) &&
			    !leaf_ok(c, la + ((uint64_t)j << 12), pt[j] & 0xfffff000u))
				return false;
		}
	}
	return true;
}

int emu_paging_identity_check(struct emu_cpu *cpu, uint64_t cr0, uint64_t cr3, uint64_t cr4,
			      uint64_t efer, uint64_t *bad_la, uint64_t *bad_pa)
{
	struct idcheck c = { .cpu = cpu };
	bool ok;

	if (!(cr0 & X86_CR0_PG))
		return 0;
	if (efer & X86_EFER_LMA)
		ok = walk64(&c, cr3 & 0x000ffffffffff000ull, 4, 0);
	else if (cr4 & X86_CR4_PAE)
		ok = walk_pae(&c, cr3 & 0xffffffe0ull);
	else
		ok = walk32(&c, cr3, (cr4 & X86_CR4_PSE) != 0);
	if (ok)
		return 0;
	*bad_la = c.bad_la;
	*bad_pa = c.bad_pa;
	return -1;
}
