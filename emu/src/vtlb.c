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
#include <stdlib.h>
#include <string.h>

#include "emu_internal.h"

/* Just above MAXPHYADDR: no walk can produce it, nothing is mapped there. */
#define VTLB_WINDOW (1ull << 40)

static enum emu_access access_of(uc_mem_type type)
{
	return type == UC_MEM_WRITE ? EMU_ACC_WRITE :
	       type == UC_MEM_FETCH ? EMU_ACC_FETCH : EMU_ACC_READ;
}

/* The TLB alone: the block running now keeps its cache entry. */
static void tlb_flush(struct emu_cpu *cpu)
{
	uc_ctl_flush_tlb(cpu->uc);
	cpu->tlb_gen++;
}

/*
 * The permissions of a fill. A page is never writable and executable in
 * the engine's TLB at once (nor in its victim entries): granting one takes
 * the other away, by a flush where the other was granted since the last.
 * Code is then translated only after a fetch fill, which looks the page
 * over for encodings Unicorn cannot translate (untranslatable.c), and a
 * guest that rewrites its code is looked over again before the new code
 * is translated. Reads get read permission only.
 */
static uint32_t x_or_w(struct emu_cpu *cpu, uint64_t spa, uint64_t page, enum emu_access acc,
		       const struct emu_xlate *x)
{
	const uint8_t *code = emu_ram_ptr(cpu->m, spa, 4096);
	uint64_t n = spa >> 12;

	if (acc == EMU_ACC_FETCH) {
		if (!x->executable)
			return UC_PROT_READ;
		if (code) {
			if (cpu->page_w[n] == cpu->tlb_gen)
				tlb_flush(cpu);
			cpu->page_x[n] = cpu->tlb_gen;
			/* Every time: the page may be new at this linear address, and
			 * an instruction may start on the page before it. */
			if (emu_scan_untranslatable(cpu, page, code))
				emu_engine_exits_changed(cpu);
		}
		return UC_PROT_READ | UC_PROT_EXEC;
	}
	if (acc == EMU_ACC_WRITE && x->writable) {
		if (code) {
			if (cpu->page_x[n] == cpu->tlb_gen)
				tlb_flush(cpu);
			cpu->page_w[n] = cpu->tlb_gen;
		}
		return UC_PROT_READ | UC_PROT_WRITE;
	}
	return UC_PROT_READ;
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
		      cpu->step.active && cpu->step.grant && page == cpu->step.grant_page ?
			      EMU_XL_IMPLICIT : emu_xlate_flags(cpu),
		      &x) == 0) {
		e->paddr = x.spa & ~0xfffull;
		e->perms = x_or_w(cpu, e->paddr, page, acc, &x);
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
	/* Every fill comes here, with or without a second level: the walk is
	 * the model's, and code pages are looked over before translation. */
	if (uc_ctl_tlb_mode(cpu->uc, UC_TLB_VIRTUAL) != UC_ERR_OK)
		return -1;
	cpu->ud_exits = calloc(EMU_UD_EXITS_MAX, sizeof(uint64_t));
	cpu->page_x = calloc(cpu->m->ram_size >> 12, sizeof(uint32_t));
	cpu->page_w = calloc(cpu->m->ram_size >> 12, sizeof(uint32_t));
	cpu->tlb_gen = 1;
	if (!cpu->ud_exits || !cpu->page_x || !cpu->page_w)
		return -1;
	if (uc_hook_add(cpu->uc, &cpu->hook_tlb, UC_HOOK_TLB_FILL, (void *)hook_tlb_fill, cpu, 1,
			0) != UC_ERR_OK)
		return -1;
	return uc_context_alloc(cpu->uc, &cpu->probe.ctx) == UC_ERR_OK ? 0 : -1;
}

void emu_vtlb_fini(struct emu_cpu *cpu)
{
	free(cpu->ud_exits);
	free(cpu->page_x);
	free(cpu->page_w);
	cpu->ud_exits = NULL;
	cpu->page_x = cpu->page_w = NULL;
	if (cpu->probe.ctx)
		uc_context_free(cpu->probe.ctx);
	cpu->probe.ctx = NULL;
}

void emu_engine_set_slat(struct emu_cpu *cpu, const struct emu_slat *slat)
{
	if (slat == cpu->slat)
		return;
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
	/* No flush first: the refused fill left no entry for the page. */
	cpu->in_engine = true;
	uc_emu_start(cpu->uc, rip, 0, 0, 0);
	cpu->in_engine = false;
	uc_context_restore(cpu->uc, cpu->probe.ctx);
	cpu->probe.active = false;
	cpu->ctx_fresh = false;
	cpu->cur_block = cur_block;
	cpu->slow = slow;
	/* The window's entry must not outlive the probe. */
	tlb_flush(cpu);
	if (!cpu->probe.found)
		emu_fatal(cpu, "the engine could not locate the faulting access of the instruction "
			  "at %#llx (page %#llx)", (unsigned long long)rip,
			  (unsigned long long)cpu->vtlb_fault.page);
	return cpu->probe.offset;
}
