/* SPDX-License-Identifier: MIT */
/*
 * The guest's linear addresses as the core sees them: the walk of its own
 * page tables from CR0/CR3/CR4/EFER (APM vol. 2 §5.2 legacy, §5.3 PAE and
 * long mode, 4 KiB to 1 GiB pages), and reading the instruction at CS:RIP
 * when the processor did not store its bytes (no decode assists) through
 * that walk and the VM's second-level tables (the backend's
 * vm_memory_translate; SVM nested paging, §15.25). The linear address of
 * CS:RIP: §4.5, §4.12 (no base or limit in 64-bit mode). Only presence is
 * checked: the guest executed these bytes and made the access, so its
 * permissions allowed them; the walk sets no accessed bits.
 */
#include "vx/arch.h"
#include "hv/ram.h"
#include "hv/vm.h"
#include "insn.h"
#include "x86/cpu.h"

#define PAGE_SIZE 4096ull
#define ENTRY_ADDR 0x000ffffffffff000ull

/*
 * Host pointer to the guest-physical page of gpa, or NULL. The address is
 * the guest's to choose (its page tables, its CR3), so it is refused
 * unless the guest owns it: for a VM with nested paging, a page its
 * second-level tables map into its RAM (hv/ram.h); in any case memory the
 * platform has (arch_phys_to_virt gives no pointer elsewhere).
 */
static const uint8_t *gpa_page(struct hv_vcpu *vcpu, uint64_t gpa)
{
	uint64_t spa = gpa & ~(PAGE_SIZE - 1);
	const struct hv_vm *vm = vcpu->vm;
	const uint8_t *p;

	if (vm && vm->config.use_npt) {
		if (!vm->ops->vm_memory_translate(vm, spa, &spa))
			return NULL;
		/* Whatever the tables say, only the VM's RAM is read for it. */
		if (vm->ram && !hv_ram_contains(vm->ram, spa, PAGE_SIZE))
			return NULL;
	}
	/* Memory the platform has, from the first byte of the page to its last. */
	p = arch_phys_to_virt(spa);
	if (!p || !arch_phys_to_virt(spa + PAGE_SIZE - 1))
		return NULL;
	return p;
}

static bool read_entry(struct hv_vcpu *vcpu, uint64_t gpa, unsigned size, uint64_t *e)
{
	const uint8_t *p = gpa_page(vcpu, gpa);

	if (!p)
		return false;
	*e = 0;
	for (unsigned i = 0; i < size; i++)
		*e |= (uint64_t)p[(gpa & (PAGE_SIZE - 1)) + i] << (8 * i);
	return true;
}

/* 64-bit entries from `level` down (4: PML4, 2: the PAE page directory). */
static bool walk64(struct hv_vcpu *vcpu, uint64_t table, uint64_t la, int level, uint64_t *gpa)
{
	for (; level >= 1; level--) {
		unsigned shift = 12u + 9u * (unsigned)(level - 1);
		uint64_t e;

		if (!read_entry(vcpu, table + ((la >> shift) & 511) * 8, 8, &e) || !(e & X86_PTE_P))
			return false;
		if (level == 4 && (e & X86_PTE_PS))
			return false;
		if (level == 1 || ((level == 2 || level == 3) && (e & X86_PTE_PS))) {
			uint64_t size = 1ull << shift;

			*gpa = ((e & ENTRY_ADDR) & ~(size - 1)) | (la & (size - 1));
			return true;
		}
		table = e & ENTRY_ADDR;
	}
	return false;
}

bool hv_insn_translate(struct hv_vcpu *vcpu, const struct hv_insn_state *st, uint64_t la,
		       uint64_t *gpa)
{
	uint64_t e;

	if (!(st->cr0 & X86_CR0_PG)) {
		*gpa = la & 0xffffffffull;
		return true;
	}
	if (st->efer & X86_EFER_LMA) {
		/* Five-level paging is not walked: the fetch stops. */
		if (st->cr4 & X86_CR4_LA57)
			return false;
		return walk64(vcpu, st->cr3 & ENTRY_ADDR, la, 4, gpa);
	}
	if (st->cr4 & X86_CR4_PAE) {
		/* Four PDPTEs at CR3[31:5] (§5.3.2). */
		if (!read_entry(vcpu, (st->cr3 & 0xffffffe0ull) + ((la >> 30) & 3) * 8, 8, &e) ||
		    !(e & X86_PTE_P))
			return false;
		return walk64(vcpu, e & ENTRY_ADDR, la, 2, gpa);
	}
	/* Legacy two-level paging, with 4 MiB pages under CR4.PSE (§5.2). */
	if (!read_entry(vcpu, (st->cr3 & 0xfffff000ull) + ((la >> 22) & 0x3ff) * 4, 4, &e) ||
	    !(e & X86_PTE_P))
		return false;
	if ((e & X86_PTE_PS) && (st->cr4 & X86_CR4_PSE)) {
		/* PDE bits 20:13 are physical-address bits 39:32 (PSE-36). */
		*gpa = (e & 0xffc00000ull) | ((e & 0x1fe000ull) << 19) | (la & 0x3fffffull);
		return true;
	}
	if (!read_entry(vcpu, (e & 0xfffff000ull) + ((la >> 12) & 0x3ff) * 4, 4, &e) ||
	    !(e & X86_PTE_P))
		return false;
	*gpa = (e & 0xfffff000ull) | (la & 0xfffull);
	return true;
}

unsigned hv_insn_fetch(struct hv_vcpu *vcpu, const struct hv_insn_state *st, uint8_t *buf,
		       unsigned size)
{
	unsigned mode = hv_insn_mode(st), n;
	uint64_t page_la = 1, page_gpa = 0;
	const uint8_t *page = NULL;

	for (n = 0; n < size; n++) {
		uint64_t la;

		if (mode == 64) {
			la = st->rip + n;
			/* A non-canonical address faults (§5.3.1). */
			if ((uint64_t)((int64_t)(la << 16) >> 16) != la)
				break;
		} else {
			uint64_t off = (st->rip + n) & (mode == 32 ? 0xffffffffull : 0xffffull);

			/* Expand-up code segments end at the limit (§4.12). */
			if (off > st->cs_limit)
				break;
			la = (st->seg_base[HV_SEG_CS] + off) & 0xffffffffull;
		}
		if ((la & ~(PAGE_SIZE - 1)) != page_la) {
			page_la = la & ~(PAGE_SIZE - 1);
			page = hv_insn_translate(vcpu, st, page_la, &page_gpa)
				       ? gpa_page(vcpu, page_gpa)
				       : NULL;
		}
		if (!page)
			break;
		buf[n] = page[la & (PAGE_SIZE - 1)];
	}
	return n;
}
