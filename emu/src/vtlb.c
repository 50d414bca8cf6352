/* SPDX-License-Identifier: MIT */
/*
 * The engine's TLB under a second level of translation (nested paging).
 *
 * Unicorn's own x86 walk knows one level. While a processor model has a
 * second level in effect the engine switches Unicorn to its "virtual" TLB,
 * whose every fill comes here: the model's walk (paging.c) takes the linear
 * address through the guest's tables and the nested ones to a
 * system-physical page, with the permissions a TLB entry may hold now
 * (writable only once both leaves are dirty, so the first write comes back
 * to set D). The engine's address space stays system-physical, so nothing
 * is mapped or unmapped and no translation is dropped on the way in or out.
 *
 * A fill that faults makes Unicorn stop with RIP exactly at the faulting
 * instruction, but it tells the hook only the page. The exact address of a
 * data access (CR2, or the GPA of #NPF) is found by running that one
 * instruction again with the page sent to a window of physical addresses
 * that nothing answers: the access then reaches the unmapped-memory hook
 * with its offset (vtlb_probe()).
 */
#include <string.h>

#include "emu_internal.h"

/* Just above MAXPHYADDR: no walk can produce it, nothing is mapped there. */
#define VTLB_WINDOW (1ull << 40)

static enum emu_access access_of(uc_mem_type type)
{
	return type == UC_MEM_WRITE ? EMU_ACC_WRITE :
	       type == UC_MEM_FETCH ? EMU_ACC_FETCH : EMU_ACC_READ;
}

static bool hook_tlb_fill(uc_engine *uc, uint64_t page, uc_mem_type type, uc_tlb_entry *e,
			  void *user)
{
	struct emu_cpu *cpu = user;
	enum emu_access acc = access_of(type);
	struct emu_xlate x;

	(void)uc;
	if (cpu->probe.active && page == cpu->probe.page && acc == cpu->probe.acc) {
		e->paddr = VTLB_WINDOW;
		e->perms = UC_PROT_ALL;
		return true;
	}
	if (emu_xlate(cpu, page, acc,
		      cpu->vtlb_grant.active && page == cpu->vtlb_grant.page ? EMU_XL_IMPLICIT :
									      emu_xlate_flags(cpu),
		      &x) == 0) {
		e->paddr = x.spa & ~0xfffull;
		e->perms = UC_PROT_READ | (x.writable ? UC_PROT_WRITE : 0) |
			   (x.executable ? UC_PROT_EXEC : 0);
		return true;
	}
	if (!cpu->vtlb_quiet && !cpu->probe.active && !cpu->vtlb_fault.valid) {
		cpu->vtlb_fault.valid = true;
		cpu->vtlb_fault.page = page;
		cpu->vtlb_fault.acc = acc;
		cpu->vtlb_fault.x = x;
	}
	return false;
}

int emu_vtlb_init(struct emu_cpu *cpu)
{
	if (uc_hook_add(cpu->uc, &cpu->hook_tlb, UC_HOOK_TLB_FILL, (void *)hook_tlb_fill, cpu, 1,
			0) != UC_ERR_OK)
		return -1;
	return uc_context_alloc(cpu->uc, &cpu->probe.ctx) == UC_ERR_OK ? 0 : -1;
}

void emu_vtlb_fini(struct emu_cpu *cpu)
{
	if (cpu->probe.ctx)
		uc_context_free(cpu->probe.ctx);
	cpu->probe.ctx = NULL;
}

void emu_engine_set_slat(struct emu_cpu *cpu, const struct emu_slat *slat)
{
	if (slat == cpu->slat)
		return;
	/* Unicorn's own walk without a second level, the model's with one. */
	if (!slat != !cpu->slat)
		uc_ctl_tlb_mode(cpu->uc, slat ? UC_TLB_VIRTUAL : UC_TLB_CPU);
	cpu->slat = slat;
	emu_engine_flush_tlb(cpu);
	cpu->tlb_valid = false;
}

bool emu_vtlb_probe_unmapped(struct emu_cpu *cpu, uint64_t addr)
{
	if (!cpu->probe.active)
		return false;
	if ((addr & ~0xfffull) == VTLB_WINDOW && !cpu->probe.found) {
		cpu->probe.found = true;
		cpu->probe.offset = addr & 0xfff;
	}
	uc_emu_stop(cpu->uc);
	return true;
}

/*
 * The offset in the faulting page of the access that faulted: run the
 * instruction at rip again, its state saved and put back afterwards, with
 * the page sent to the window. The instruction repeats only what it did
 * before the faulting access, with the same values.
 */
uint64_t emu_vtlb_probe(struct emu_cpu *cpu, uint64_t rip)
{
	int32_t cur_block = cpu->cur_block;
	bool slow = cpu->slow;

	uc_context_save(cpu->uc, cpu->probe.ctx);
	cpu->probe.active = true;
	cpu->probe.found = false;
	cpu->probe.page = cpu->vtlb_fault.page;
	cpu->probe.acc = cpu->vtlb_fault.acc;
	cpu->probe.blocks = 0;
	cpu->slow = true;
	uc_ctl_flush_tlb(cpu->uc);
	uc_emu_start(cpu->uc, rip, 0, 0, 0);
	uc_context_restore(cpu->uc, cpu->probe.ctx);
	cpu->probe.active = false;
	cpu->ctx_fresh = false;
	cpu->cur_block = cur_block;
	cpu->slow = slow;
	/* The window's entry must not outlive the probe. */
	uc_ctl_flush_tlb(cpu->uc);
	if (!cpu->probe.found)
		emu_fatal(cpu, "the engine could not locate the faulting access of the instruction "
			  "at %#llx (page %#llx)", (unsigned long long)rip,
			  (unsigned long long)cpu->vtlb_fault.page);
	return cpu->probe.offset;
}
