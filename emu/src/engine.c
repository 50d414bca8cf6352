/* SPDX-License-Identifier: MIT */
/*
 * The processor engine: one Unicorn x86-64 engine per model processor over
 * the machine's guest-physical memory, with the hooks that make it exact:
 *
 * - a block hook charges each translation block's cost (from the cost table,
 *   decoded once with Capstone and cached) to the processor clock, stops at
 *   the first block boundary past the deadline, and fires the watches the
 *   processor model armed (IRET completion, the end of an interrupt shadow);
 * - a code hook on every trap site (decode.c) stops before the instruction;
 * - #UD (where every SVM instruction lands) and other exceptions stop the
 *   engine with RIP at the instruction, for the model to decide what they mean.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu_internal.h"
#include "apic-model/apic_model.h"
#include "svm-model/svm_model.h"
#include "x86/cpu.h"

extern const uint8_t emu_bootstrap_code[], emu_bootstrap_code_end[];

#define TRAP_SITES_MAX 8192
#define EMU_TCG_BUFFER (64u << 20)
/* Open bus: physical addresses above RAM read as all ones (no device). */
#define EMU_PHYS_LIMIT (1ull << 40)
/* Mapped and unmapped again to flush QEMU's TLB. */
#define EMU_FLUSH_PAGE (0ull - 4096)

static uint64_t open_bus_read(uc_engine *uc, uint64_t off, unsigned size, void *user)
{
	(void)uc, (void)off, (void)user;
	return size >= 8 ? ~0ull : ((1ull << (size * 8)) - 1);
}

static void open_bus_write(uc_engine *uc, uint64_t off, unsigned size, uint64_t v, void *user)
{
	(void)uc, (void)off, (void)size, (void)v, (void)user;
}

#define APIC_MMIO_BASE 0xfee00000ull

/* Guest accesses to the xAPIC page reach this processor's APIC model. */
static uint64_t apic_mmio_read(uc_engine *uc, uint64_t off, unsigned size, void *user)
{
	(void)uc;
	if (size != 4 || (off & 0xf))
		return 0;
	return apic_model_read(user, (uint32_t)off);
}

static void apic_mmio_write(uc_engine *uc, uint64_t off, unsigned size, uint64_t v, void *user)
{
	(void)uc;
	if (size == 4 && !(off & 0xf)) {
		apic_model_write(user, (uint32_t)off, (uint32_t)v);
		/* A timer armed from inside a block is seen from the next block on. */
		emu_apic_timer_sync(user);
	}
}

static inline uint32_t block_slot(uint64_t addr)
{
	return (uint32_t)((addr ^ (addr >> 12)) & (EMU_BLOCK_CACHE - 1));
}

/*
 * Stop before the block at linear address addr runs. Unicorn checks for a
 * stop request after the block hook, so the block does not run; but once
 * any code hook exists it leaves RIP wherever it was last written (code
 * hooks write it, the end of a chain of blocks does not), which can be an
 * instruction that already retired. The block's own address is the only
 * right answer: it is written back when the run has ended.
 */
static void block_stop(uc_engine *uc, struct emu_cpu *cpu, uint64_t addr, enum emu_stop why)
{
	cpu->stop = why;
	cpu->slow = true;
	cpu->stop_rip = emu_rip_of(cpu, addr);
	cpu->stop_rip_fixup = true;
	uc_emu_stop(uc);
}

/* The watches and a pending stop: the block hook's rare path. */
static bool block_watches(uc_engine *uc, struct emu_cpu *cpu, uint64_t addr)
{
	bool stop = false;

	if (cpu->stop != EMU_STOP_NONE)
		return true; /* a stop is pending: nothing more retires */
	if (cpu->watch_iret_rip && addr != cpu->watch_iret_rip) {
		/* The IRET retired: this block starts at its return address. */
		cpu->watch_iret_rip = 0;
		svm_model_iret_completed(cpu);
		stop = true;
	}
	if (cpu->watch_popf) {
		cpu->watch_popf = false;
		stop = true;
	}
	if (cpu->watch_shadow == 2) {
		cpu->watch_shadow = 1; /* this block is the shadowed instruction */
	} else if (cpu->watch_shadow == 1) {
		cpu->watch_shadow = 0;
		stop = true;
	}
	if (stop)
		block_stop(uc, cpu, addr, EMU_STOP_EVENT);
	emu_watch_update(cpu);
	return stop;
}

/*
 * The first instruction boundary inside the block where the clock, starting
 * at the block's start, reaches `at`; 0 when that is the block's end (or
 * beyond the instructions the cache records).
 */
static uint64_t boundary_in_block(const struct emu_cpu *cpu, uint32_t slot, uint64_t at)
{
	const struct emu_block_hot *hot = &cpu->bhot[slot];
	const struct emu_block *b = &cpu->blocks[slot];
	uint64_t c = cpu->cycle;
	uint32_t n = hot->ninsn < EMU_BLOCK_MAX_INSNS ? hot->ninsn : EMU_BLOCK_MAX_INSNS;

	for (uint32_t i = 0; i + 1 < n; i++) {
		c += b->icost[i];
		if (c >= at)
			return hot->addr + b->off[i + 1];
	}
	return 0;
}

/*
 * Drop the translations of code in [la, end), from a hook that then stops
 * the engine with EMU_STOP_RESTART. Under nested paging
 * uc_ctl_remove_cache returns success but drops nothing (measured: an
 * intercepted CPUID ran natively), so the restart flushes the engine's TLB
 * instead, which makes Unicorn look the block up again. Not from inside
 * the hook: Unicorn crashes.
 */
static void retranslate(struct emu_cpu *cpu, uint64_t la, uint64_t end)
{
	uc_ctl_remove_cache(cpu->uc, la, end);
	if (cpu->gpa_mode)
		cpu->tb_flush_pending = true;
}

/*
 * Make the engine stop right before the instruction at `a`: Unicorn checks
 * exit addresses while translating, so the block must be translated again.
 */
static void arm_exit(struct emu_cpu *cpu, uint64_t a, uint64_t block, uint32_t size)
{
	uc_ctl_set_exits(cpu->uc, &a, 1);
	retranslate(cpu, block, block + size);
	cpu->exit_armed = a;
}

static void disarm_exit(struct emu_cpu *cpu)
{
	if (!cpu->exit_armed)
		return;
	/* Unicorn has already dropped the translation that held the exit. */
	uc_ctl_set_exits(cpu->uc, NULL, 0);
	cpu->exit_armed = 0;
}

/* Everything but the common case: watches, deadlines, a new block. */
static __attribute__((noinline, cold)) void block_slow(uc_engine *uc, struct emu_cpu *cpu,
						       uint64_t addr, uint32_t size, uint32_t slot)
{
	struct emu_block_hot *hot = &cpu->bhot[slot];

	if (cpu->slow && block_watches(uc, cpu, addr))
		return;
	if (cpu->cycle >= cpu->deadline) {
		block_stop(uc, cpu, addr, EMU_STOP_QUANTUM);
		return;
	}
	if (hot->addr != addr || hot->size != size) {
		bool added = false;

		if (emu_block_analyse(cpu, addr, size, hot, &cpu->blocks[slot], &added) != 0) {
			/* Unreadable code: let the fetch fault surface through Unicorn. */
			hot->size = 0;
			cpu->cur_block = -1;
			return;
		}
		if (added) {
			block_stop(uc, cpu, addr, EMU_STOP_RESTART);
			return;
		}
	}
	if (cpu->cycle >= cpu->event_at) {
		block_stop(uc, cpu, addr, EMU_STOP_EVENT);
		return;
	}
	if (cpu->event_at < cpu->cycle + hot->cost) {
		/* The event falls due inside this block: stop at that boundary. */
		uint64_t a = boundary_in_block(cpu, slot, cpu->event_at);

		if (a && cpu->exit_armed != a) {
			arm_exit(cpu, a, addr, size);
			block_stop(uc, cpu, addr, EMU_STOP_RESTART);
			return;
		}
	}
	cpu->cycle += hot->cost;
	cpu->insns += hot->ninsn;
	cpu->cur_block = (int32_t)slot;
}

/*
 * Runs before every translation block: the cost of the whole cycle
 * accounting. The common case (a known block, nothing watched, no deadline
 * or event reached within it) must stay a leaf with no stack frame.
 */
static void hook_block(uc_engine *uc, uint64_t addr, uint32_t size, void *user)
{
	struct emu_cpu *cpu = user;
	uint32_t slot = block_slot(addr);
	const struct emu_block_hot *hot = &cpu->bhot[slot];

	if (__builtin_expect(cpu->slow | (cpu->cycle + hot->cost > cpu->stop_at) |
			     (hot->addr != addr) | (hot->size != size), 0)) {
		block_slow(uc, cpu, addr, size, slot);
		return;
	}
	cpu->cycle += hot->cost;
	cpu->insns += hot->ninsn;
	cpu->cur_block = (int32_t)slot;
}

static void hook_trap(uc_engine *uc, uint64_t addr, uint32_t size, void *user)
{
	struct emu_cpu *cpu = user;
	struct emu_insn in;

	(void)size;
	if (emu_decode_insn(cpu, addr, &in) != 0 || in.trap == EMU_TRAP_NONE)
		return;
	if (!svm_model_trap_wanted(cpu, &in))
		return;
	emu_engine_unretire(cpu, addr);
	cpu->stop = EMU_STOP_TRAP;
	cpu->slow = true;
	cpu->stop_trap = in.trap;
	/* Unicorn 2.1.1 syncs RIP (CS-relative) before every code hook. */
	cpu->stop_rip = emu_reg_get(cpu, UC_X86_REG_RIP);
	uc_emu_stop(uc);
}

static bool hook_invalid(uc_engine *uc, void *user)
{
	struct emu_cpu *cpu = user;

	cpu->stop_rip = emu_reg_get(cpu, UC_X86_REG_RIP);
	emu_engine_unretire(cpu, emu_linear(cpu, cpu->stop_rip));
	cpu->stop = EMU_STOP_INVALID;
	cpu->slow = true;
	uc_emu_stop(uc);
	return true;
}

static void hook_intr(uc_engine *uc, uint32_t intno, void *user)
{
	struct emu_cpu *cpu = user;

	/*
	 * Unicorn 2.1.1 reports some #UDs (a VMMCALL in state the model wrote,
	 * for one) here rather than to the invalid-instruction hook: one route.
	 */
	if (intno == X86_VEC_UD) {
		hook_invalid(uc, user);
		return;
	}
	cpu->stop_rip = emu_reg_get(cpu, UC_X86_REG_RIP);
	cpu->stop_intno = intno;
	cpu->slow = true;
	/*
	 * Unicorn looks for the next block after this hook returns and may run
	 * the faulting instruction again before it honours the stop (raising a
	 * silent #DF over this fault): take the error code now.
	 */
	cpu->stop_error = emu_cpustate_error_code(cpu);
	/* Likewise CR2, which QEMU wrote when it raised the #PF. */
	if (intno == X86_VEC_PF)
		cpu->stop_cr2 = emu_reg_get(cpu, UC_X86_REG_CR2);
	cpu->stop = EMU_STOP_EXCEPTION;
	uc_emu_stop(uc);
}

static bool gpa_fill(uc_engine *uc, struct emu_cpu *cpu, uint64_t gpa, enum emu_access acc);
static enum emu_access access_of(uc_mem_type type);
static void gpa_flush(struct emu_cpu *cpu);
static void track_page(struct emu_cpu *cpu, uint64_t page);
static bool bus_page(struct emu_cpu *cpu, uint64_t addr);
static uint32_t leaf_prot(const struct svm_npt_leaf *l, bool write);

static bool hook_unmapped(uc_engine *uc, uc_mem_type type, uint64_t address, int size,
			  int64_t value, void *user)
{
	struct emu_cpu *cpu = user;

	(void)size, (void)value;
	if (cpu->gpa_mode)
		return gpa_fill(uc, cpu, address, access_of(type));
	if (bus_page(cpu, address))
		return true;
	cpu->fault_la = address;
	cpu->stop_rip = emu_reg_get(cpu, UC_X86_REG_RIP);
	cpu->stop = EMU_STOP_UNMAPPED;
	cpu->slow = true;
	uc_emu_stop(uc);
	return false;
}

int emu_engine_add_trap_site(struct emu_cpu *cpu, uint64_t la)
{
	uint32_t lo = 0, hi = cpu->ntrap_sites;
	uc_hook h;

	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;

		if (cpu->trap_sites[mid] == la)
			return 0;
		if (cpu->trap_sites[mid] < la)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (cpu->ntrap_sites == TRAP_SITES_MAX)
		return -1;
	if (uc_hook_add(cpu->uc, &h, UC_HOOK_CODE, (void *)hook_trap, cpu, la, la) != UC_ERR_OK)
		return -1;
	memmove(&cpu->trap_sites[lo + 1], &cpu->trap_sites[lo],
		(cpu->ntrap_sites - lo) * sizeof(uint64_t));
	cpu->trap_sites[lo] = la;
	cpu->ntrap_sites++;
	/* Hooks reach only code translated after them. */
	retranslate(cpu, la, la + 1);
	return 1;
}

void emu_engine_unretire(struct emu_cpu *cpu, uint64_t rip)
{
	const struct emu_block_hot *hot;
	const struct emu_block *b;

	if (cpu->cur_block < 0)
		return;
	hot = &cpu->bhot[cpu->cur_block];
	b = &cpu->blocks[cpu->cur_block];
	cpu->cur_block = -1;
	if (rip < hot->addr || rip >= hot->addr + hot->size)
		return;
	for (uint32_t i = 0; i < hot->ninsn && i < EMU_BLOCK_MAX_INSNS; i++) {
		if (hot->addr + b->off[i] >= rip) {
			cpu->cycle -= b->icost[i];
			cpu->insns--;
		}
	}
}

enum emu_stop emu_engine_run(struct emu_cpu *cpu)
{
	for (;;) {
		uint64_t rip = emu_reg_get(cpu, UC_X86_REG_RIP);
		uc_err e;

		cpu->stop = EMU_STOP_NONE;
		cpu->cur_block = -1;
		emu_watch_update(cpu);
		cpu->ctx_fresh = false;
		e = uc_emu_start(cpu->uc, rip, 0, 0, 0);
		cpu->ctx_fresh = false;
		if (cpu->stop_rip_fixup) {
			cpu->stop_rip_fixup = false;
			emu_reg_set(cpu, UC_X86_REG_RIP, cpu->stop_rip);
		}
		if (cpu->stop == EMU_STOP_RESTART) {
			if (cpu->tb_flush_pending) {
				cpu->tb_flush_pending = false;
				uc_ctl_flush_tlb(cpu->uc);
			}
			continue;
		}
		if (cpu->stop == EMU_STOP_NONE && cpu->exit_armed && e == UC_ERR_OK &&
		    emu_linear(cpu, emu_reg_get(cpu, UC_X86_REG_RIP)) == cpu->exit_armed) {
			/* Stopped at the armed boundary: the rest of the block did not run. */
			emu_engine_unretire(cpu, cpu->exit_armed);
			cpu->stop = EMU_STOP_EVENT;
		}
		disarm_exit(cpu);
		if (cpu->stop == EMU_STOP_NONE) {
			/* Only an engine error ends a run without a hook deciding. */
			cpu->stop = EMU_STOP_UNMAPPED;
			cpu->stop_rip = emu_reg_get(cpu, UC_X86_REG_RIP);
			if (e == UC_ERR_OK)
				emu_fatal(cpu, "engine stopped at %#llx without a cause",
					  (unsigned long long)cpu->stop_rip);
		}
		return cpu->stop;
	}
}

void emu_engine_check_paging(struct emu_cpu *cpu, uint64_t cr0, uint64_t cr3, uint64_t cr4,
			     uint64_t efer)
{
	uint64_t la, pa;

	if (emu_paging_identity_check(cpu, cr0, cr3, cr4, efer, &la, &pa) != 0)
		emu_fatal(cpu, "guest paging maps linear %#llx to physical %#llx: the engine "
			  "(Unicorn 2.0.1) runs only guests whose present mappings are identity "
			  "(docs/engine.md)", (unsigned long long)la, (unsigned long long)pa);
}

/*
 * QEMU's TLB is not tagged with an address space. Whenever VMRUN loads a
 * paging state other than the one the TLB was filled under, or the VMCB asks
 * for a flush or names another ASID, flush it (map and unmap a page: the only
 * TLB flush Unicorn 2.0.1 offers).
 */
void emu_engine_sync_tlb(struct emu_cpu *cpu, const struct emu_regs *r, uint32_t asid, bool force)
{
	uint64_t ncr3 = cpu->gpa_mode ? cpu->svm->ncr3 : 0;

	if (!force && cpu->tlb_valid && cpu->tlb_cr0 == r->cr0 && cpu->tlb_cr3 == r->cr3 &&
	    cpu->tlb_cr4 == r->cr4 && cpu->tlb_efer == r->efer && cpu->tlb_asid == asid &&
	    cpu->tlb_ncr3 == ncr3)
		return;
	if (cpu->gpa_mode)
		gpa_flush(cpu);
	cpu->tlb_ncr3 = ncr3;
	emu_engine_check_paging(cpu, r->cr0, r->cr3, r->cr4, r->efer);
	uc_mem_map(cpu->uc, EMU_FLUSH_PAGE, 4096, UC_PROT_READ);
	uc_mem_unmap(cpu->uc, EMU_FLUSH_PAGE, 4096);
	emu_block_cache_flush(cpu);
	cpu->tlb_valid = true;
	cpu->tlb_cr0 = r->cr0;
	cpu->tlb_cr3 = r->cr3;
	cpu->tlb_cr4 = r->cr4;
	cpu->tlb_efer = r->efer;
	cpu->tlb_asid = asid;
}

/*
 * Zero [pa, pa+len) through the engine. A write through Unicorn's physical
 * address space is what drops the engine's translations of those pages;
 * uc_ctl_remove_cache() would take linear addresses and walk the guest's
 * page tables, which need not map them (or may fault).
 */
void emu_engine_zero_phys(struct emu_cpu *cpu, uint64_t pa, uint64_t len)
{
	static const uint8_t zeros[65536];

	if (!cpu->uc)
		return;
	while (len) {
		size_t n = len < sizeof(zeros) ? (size_t)len : sizeof(zeros);

		uc_mem_write(cpu->uc, pa, zeros, n);
		pa += n;
		len -= n;
	}
	emu_block_cache_flush(cpu);
}

static void put64(uint8_t *ram, uint64_t pa, uint64_t v)
{
	memcpy(ram + pa, &v, 8);
}

/* Long mode by real instructions, then the state-layout self-check. */
static int bootstrap(struct emu_cpu *cpu, char *err, size_t errlen)
{
	uint8_t *ram = cpu->m->ram;
	size_t len = (size_t)(emu_bootstrap_code_end - emu_bootstrap_code);
	uint8_t gdtr[10];
	uint64_t rsp = 0x7000;
	uint16_t limit = 0x2f;
	uint64_t base = 0x1000;

	put64(ram, 0x1008, 0x00af9b000000ffffull); /* 64-bit code, CPL 0 */
	put64(ram, 0x1010, 0x00cf93000000ffffull); /* data */
	memcpy(gdtr, &limit, 2);
	memcpy(gdtr + 2, &base, 8);
	memcpy(ram + 0x7f00, gdtr, sizeof(gdtr));
	put64(ram, 0x2000, 0x3000 | 3);
	put64(ram, 0x3000, 0x4000 | 3);
	put64(ram, 0x4000, 0x0 | 0x83); /* first 2 MiB, identity */
	memcpy(ram + 0x8000, emu_bootstrap_code, len);
	emu_reg_set(cpu, UC_X86_REG_RSP, rsp);
	emu_reg_set(cpu, UC_X86_REG_RBX, 0x0123456789abcdefull);
	emu_reg_set(cpu, UC_X86_REG_R15, 0xfedcba9876543210ull);
	cpu->event_at = ~0ull;
	emu_set_deadline(cpu, ~0ull);
	emu_reg_set(cpu, UC_X86_REG_RIP, 0x8000);
	if (emu_engine_run(cpu) != EMU_STOP_EXCEPTION || cpu->stop_intno != X86_VEC_GP) {
		snprintf(err, errlen, "engine bootstrap did not reach long mode (stop %d, vector %u)",
			 (int)cpu->stop, cpu->stop_intno);
		return -1;
	}
	if (emu_cpustate_selfcheck(cpu, err, errlen) != 0)
		return -1;
	emu_cpustate_clear_exception(cpu);
	emu_engine_zero_phys(cpu, 0, 0x9000);
	cpu->tlb_valid = false;
	cpu->cycle = 0;
	cpu->insns = 0;
	return 0;
}

/*
 * The system-physical address space: RAM and the xAPIC page. Everything
 * else is open bus, mapped a page at a time where something touches it
 * (bus_page()), so that switching to a guest-physical space under nested
 * paging unmaps little (Unicorn unmaps page by page).
 */
static uc_err map_system_physical(struct emu_cpu *cpu)
{
	struct emu_machine *m = cpu->m;
	uc_err e;

	if ((e = uc_mem_map_ptr(cpu->uc, 0, m->ram_size, UC_PROT_ALL, m->ram)) != UC_ERR_OK)
		return e;
	return uc_mmio_map(cpu->uc, APIC_MMIO_BASE, 4096, apic_mmio_read, cpu, apic_mmio_write,
			   cpu);
}

static void track_page(struct emu_cpu *cpu, uint64_t page)
{
	if (cpu->ngpa_pages == cpu->cap_gpa_pages) {
		uint32_t cap = cpu->cap_gpa_pages ? 2 * cpu->cap_gpa_pages : 256;
		uint64_t *p = realloc(cpu->gpa_pages, cap * sizeof(*p));

		if (!p)
			emu_fatal(cpu, "out of memory for the engine's page mappings");
		cpu->gpa_pages = p;
		cpu->cap_gpa_pages = cap;
	}
	cpu->gpa_pages[cpu->ngpa_pages++] = page;
}

/*
 * An open-bus page: reads all ones, writes are dropped. Unicorn looks up
 * its memory map by linear address before QEMU walks the page tables, so
 * this also lets a not-present guest mapping anywhere raise #PF from the
 * walk instead of surfacing as "unmapped".
 */
static bool bus_page(struct emu_cpu *cpu, uint64_t addr)
{
	uint64_t page = addr & ~0xfffull;

	if (page >= EMU_FLUSH_PAGE ||
	    uc_mmio_map(cpu->uc, page, 4096, open_bus_read, NULL, open_bus_write, NULL) !=
		    UC_ERR_OK)
		return false;
	track_page(cpu, page);
	return true;
}

static void unmap_system_physical(struct emu_cpu *cpu)
{
	uc_mem_unmap(cpu->uc, 0, cpu->m->ram_size);
	uc_mem_unmap(cpu->uc, APIC_MMIO_BASE, 4096);
}

/* Drop every page mapped one at a time (guest-physical or open bus). */
static void gpa_flush(struct emu_cpu *cpu)
{
	for (uint32_t i = 0; i < cpu->ngpa_pages; i++)
		uc_mem_unmap(cpu->uc, cpu->gpa_pages[i], 4096);
	cpu->ngpa_pages = 0;
}

static void mem_sync_hook(uc_engine *uc, uc_mem_type type, uint64_t a, int size, int64_t v,
			  void *user)
{
	(void)uc, (void)type, (void)a, (void)size, (void)v, (void)user;
}

int emu_engine_set_gpa_mode(struct emu_cpu *cpu, bool on)
{
	if (on == cpu->gpa_mode)
		return 0;
	if (on) {
		if (!cpu->mem_hook) {
			uc_hook h;

			/*
			 * With a read/write memory hook present Unicorn stores RIP
			 * before every access, so a nested page fault stops the
			 * engine at its own instruction. The hook costs loads dearly,
			 * so only processors that run nested-paging guests get it;
			 * translations made without it are dropped.
			 */
			if (uc_hook_add(cpu->uc, &h, UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE,
					(void *)mem_sync_hook, NULL, EMU_FLUSH_PAGE,
					EMU_FLUSH_PAGE) != UC_ERR_OK)
				return -1;
			uc_ctl_flush_tb(cpu->uc);
			cpu->mem_hook = true;
		}
		gpa_flush(cpu);
		unmap_system_physical(cpu);
	} else {
		gpa_flush(cpu);
		if (map_system_physical(cpu) != UC_ERR_OK)
			return -1;
	}
	cpu->gpa_mode = on;
	emu_block_cache_flush(cpu);
	cpu->tlb_valid = false;
	return 0;
}

static void npf_stop(uc_engine *uc, struct emu_cpu *cpu, uint64_t gpa, uint64_t info)
{
	cpu->fault_la = gpa;
	cpu->npf_info = info;
	cpu->stop_rip = emu_reg_get(cpu, UC_X86_REG_RIP);
	emu_engine_unretire(cpu, emu_linear(cpu, cpu->stop_rip));
	cpu->stop = EMU_STOP_NPF;
	cpu->slow = true;
	uc_emu_stop(uc);
}

static uint32_t leaf_prot(const struct svm_npt_leaf *l, bool write)
{
	/* Writable only once dirty, so the first write comes back to set D. */
	return UC_PROT_READ | (l->executable ? UC_PROT_EXEC : 0) |
	       (l->writable && (l->dirty || write) ? UC_PROT_WRITE : 0);
}

/* Map the guest-physical page of gpa as the nested page tables say; a
 * #NPF reports gpa itself, not its page (APM vol. 2 §15.25.6). */
static bool gpa_fill(uc_engine *uc, struct emu_cpu *cpu, uint64_t gpa, enum emu_access acc)
{
	struct svm_npt_leaf leaf;
	uint64_t info;
	void *host;
	uc_err e;

	uint64_t pa;
	uint32_t pfe;

	/* The guest's own walk comes first: let QEMU raise its #PF. */
	if (emu_translate(cpu, gpa, acc, false, &pa, &pfe) != 0)
		return bus_page(cpu, gpa);
	if (svm_npt_walk(cpu, gpa, acc, true, &leaf, &info) != 0) {
		npf_stop(uc, cpu, gpa, info);
		return false;
	}
	host = emu_ram_ptr(cpu->m, leaf.hpa, 4096);
	if (host)
		e = uc_mem_map_ptr(uc, leaf.page_gpa, 4096, leaf_prot(&leaf, acc == EMU_ACC_WRITE),
				   host);
	else
		e = uc_mmio_map(uc, leaf.page_gpa, 4096, open_bus_read, NULL, open_bus_write, NULL);
	if (e != UC_ERR_OK)
		emu_fatal(cpu, "mapping guest-physical page %#llx: %s",
			  (unsigned long long)leaf.page_gpa, uc_strerror(e));
	track_page(cpu, leaf.page_gpa);
	return true;
}

void emu_engine_gpa_touch(struct emu_cpu *cpu, uint64_t gpa)
{
	struct svm_npt_leaf leaf;
	uint64_t info;
	void *host;

	if (!cpu->gpa_mode)
		return;
	for (uint32_t i = 0; i < cpu->ngpa_pages; i++) {
		if (cpu->gpa_pages[i] == (gpa & ~0xfffull))
			return;
	}
	/*
	 * QEMU reads the guest's page tables without any hook seeing it. A
	 * table the nested tables do not map stays unmapped: QEMU's walk then
	 * raises #PF, which the SVM model turns into the #NPF of the walk.
	 */
	if (svm_npt_walk(cpu, gpa, EMU_ACC_READ, true, &leaf, &info) != 0)
		return;
	if (!(host = emu_ram_ptr(cpu->m, leaf.hpa, 4096)))
		emu_fatal(cpu, "a guest page table at guest-physical %#llx is outside RAM "
			  "(system-physical %#llx)", (unsigned long long)gpa,
			  (unsigned long long)leaf.hpa);
	if (uc_mem_map_ptr(cpu->uc, leaf.page_gpa, 4096, leaf_prot(&leaf, false), host) !=
	    UC_ERR_OK)
		emu_fatal(cpu, "mapping guest page table %#llx", (unsigned long long)gpa);
	track_page(cpu, leaf.page_gpa);
}

static enum emu_access access_of(uc_mem_type type)
{
	switch (type) {
	case UC_MEM_WRITE_UNMAPPED:
	case UC_MEM_WRITE_PROT:
		return EMU_ACC_WRITE;
	case UC_MEM_FETCH_UNMAPPED:
	case UC_MEM_FETCH_PROT:
		return EMU_ACC_FETCH;
	default:
		return EMU_ACC_READ;
	}
}

/* A write or fetch the page's current protection refused. */
static bool hook_prot(uc_engine *uc, uc_mem_type type, uint64_t address, int size,
		      int64_t value, void *user)
{
	struct emu_cpu *cpu = user;
	enum emu_access acc = access_of(type);
	struct svm_npt_leaf leaf;
	uint64_t info;

	(void)size, (void)value;
	if (!cpu->gpa_mode) {
		cpu->fault_la = address;
		cpu->stop = EMU_STOP_UNMAPPED;
		cpu->slow = true;
		uc_emu_stop(uc);
		return false;
	}
	if (svm_npt_walk(cpu, address, acc, true, &leaf, &info) != 0) {
		npf_stop(uc, cpu, address, info);
		return false;
	}
	/* The first write to a page whose entry was clean: D is now set. */
	uc_mem_protect(uc, leaf.page_gpa, 4096, leaf_prot(&leaf, true));
	return true;
}

/*
 * The library must be the one the model was compiled against: the state
 * blob's layout and the engine facts docs/engine.md lists belong to one
 * version, and the build picks its headers from a private copy on Debian 12.
 */
static int check_library_version(char *err, size_t errlen)
{
	unsigned int lib = uc_version(NULL, NULL) >> 8;
	unsigned int hdr = (UC_API_MAJOR << 16) | (UC_API_MINOR << 8) | UC_API_PATCH;

	if (lib == hdr)
		return 0;
	snprintf(err, errlen, "libunicorn %u.%u.%u is loaded, but vxemu was built against %u.%u.%u",
		 lib >> 16, (lib >> 8) & 0xff, lib & 0xff, UC_API_MAJOR, UC_API_MINOR, UC_API_PATCH);
	return -1;
}

int emu_engine_init(struct emu_cpu *cpu, char *err, size_t errlen)
{
	uc_err e;

	if (check_library_version(err, errlen) != 0)
		return -1;
	if ((e = uc_open(UC_ARCH_X86, UC_MODE_64, &cpu->uc)) != UC_ERR_OK) {
		snprintf(err, errlen, "uc_open: %s", uc_strerror(e));
		return -1;
	}
	/*
	 * The default code buffer is 1 GiB, zero-filled on every translation
	 * flush; 64 MiB holds far more code than any guest runs and makes a
	 * flush cost milliseconds (docs/engine.md).
	 */
	if ((e = uc_ctl_set_tcg_buffer_size(cpu->uc, EMU_TCG_BUFFER)) != UC_ERR_OK) {
		snprintf(err, errlen, "setting Unicorn's code buffer size: %s", uc_strerror(e));
		return -1;
	}
	if ((e = map_system_physical(cpu)) != UC_ERR_OK) {
		snprintf(err, errlen, "mapping guest memory: %s", uc_strerror(e));
		return -1;
	}
	if ((e = uc_context_alloc(cpu->uc, &cpu->ctx)) != UC_ERR_OK) {
		snprintf(err, errlen, "uc_context_alloc: %s", uc_strerror(e));
		return -1;
	}
	cpu->blocks = calloc(EMU_BLOCK_CACHE, sizeof(struct emu_block));
	cpu->bhot = aligned_alloc(64, EMU_BLOCK_CACHE * sizeof(struct emu_block_hot));
	if (cpu->bhot)
		memset(cpu->bhot, 0, EMU_BLOCK_CACHE * sizeof(struct emu_block_hot));
	cpu->cur_block = -1;
	cpu->trap_sites = calloc(TRAP_SITES_MAX, sizeof(uint64_t));
	if (!cpu->blocks || !cpu->bhot || !cpu->trap_sites || emu_decode_init(cpu) != 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/*
	 * No exit addresses at all. Without the exits list, "until" 0 would make
	 * linear address 0 an exit; and at the end of every run Unicorn
	 * retranslates the page of each exit through the guest's page tables,
	 * where a miss leaves QEMU's "exception in flight" set to #PF and turns
	 * the guest's next fault into a #DF (or a silent triple fault).
	 */
	uc_ctl_exits_enable(cpu->uc);
	uc_ctl_set_exits(cpu->uc, NULL, 0);
	/* Every hook the engine will ever need, before anything is translated. */
	if (uc_hook_add(cpu->uc, &cpu->hook_block, UC_HOOK_BLOCK, (void *)hook_block, cpu, 1, 0) ||
	    uc_hook_add(cpu->uc, &cpu->hook_invalid, UC_HOOK_INSN_INVALID, (void *)hook_invalid,
			cpu, 1, 0) ||
	    uc_hook_add(cpu->uc, &cpu->hook_intr, UC_HOOK_INTR, (void *)hook_intr, cpu, 1, 0) ||
	    uc_hook_add(cpu->uc, &cpu->hook_unmapped, UC_HOOK_MEM_UNMAPPED, (void *)hook_unmapped,
			cpu, 1, 0) ||
	    uc_hook_add(cpu->uc, &cpu->hook_prot, UC_HOOK_MEM_PROT, (void *)hook_prot, cpu, 1,
			0)) {
		snprintf(err, errlen, "uc_hook_add failed");
		return -1;
	}
	return bootstrap(cpu, err, errlen);
}

void emu_engine_fini(struct emu_cpu *cpu)
{
	emu_decode_fini(cpu);
	if (cpu->ctx)
		uc_context_free(cpu->ctx);
	if (cpu->uc)
		uc_close(cpu->uc);
	free(cpu->blocks);
	free(cpu->bhot);
	free(cpu->gpa_pages);
	free(cpu->trap_sites);
	cpu->ctx = NULL;
	cpu->uc = NULL;
	cpu->blocks = NULL;
	cpu->bhot = NULL;
	cpu->trap_sites = NULL;
}
