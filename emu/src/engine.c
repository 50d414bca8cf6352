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
 *   engine with RIP at the instruction, for the model to decide what they mean;
 * - under a second level of translation, the TLB-fill hook of vtlb.c.
 *
 * The engine's address space is system-physical and never changes: RAM, the
 * processor's xAPIC page, and open bus (all ones, writes dropped) up to
 * MAXPHYADDR in two regions around it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu_internal.h"
#include "x86/cpu.h"

int emu_vtlb_init(struct emu_cpu *cpu);
void emu_vtlb_fini(struct emu_cpu *cpu);
bool emu_vtlb_probe_unmapped(struct emu_cpu *cpu, uint64_t addr);
uint64_t emu_vtlb_probe(struct emu_cpu *cpu, uint64_t rip);

extern const uint8_t emu_bootstrap_code[], emu_bootstrap_code_end[];

#define TRAP_SITES_MAX 16384
#define EMU_TCG_BUFFER (64u << 20)
/* MAXPHYADDR: open bus from the end of RAM up to here. */
#define EMU_PHYS_LIMIT (1ull << 40)

static uint64_t open_bus_read(uc_engine *uc, uint64_t off, unsigned size, void *user)
{
	(void)uc, (void)off, (void)user;
	return size >= 8 ? ~0ull : ((1ull << (size * 8)) - 1);
}

static void open_bus_write(uc_engine *uc, uint64_t off, unsigned size, uint64_t v, void *user)
{
	(void)uc, (void)off, (void)size, (void)v, (void)user;
}

/* Guest accesses to a device's page reach that device of this processor. */
static uint64_t device_mmio_read(uc_engine *uc, uint64_t off, unsigned size, void *user)
{
	struct emu_mmio_binding *b = user;

	(void)uc;
	return b->dev->mmio_read(b->cpu, (uint32_t)off, size);
}

static void device_mmio_write(uc_engine *uc, uint64_t off, unsigned size, uint64_t v, void *user)
{
	struct emu_mmio_binding *b = user;

	(void)uc;
	b->dev->mmio_write(b->cpu, (uint32_t)off, size, v);
	/* A timer armed from inside a block is seen from the next block on. */
	emu_timed_sync(b->cpu);
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
		cpu->m->vext->iret_completed(cpu);
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
 * the engine with EMU_STOP_RESTART (not from inside the hook: Unicorn
 * crashes). Unicorn translates la through the TLB, so under a second level
 * this is a fill like any other; a fault there only means nothing to drop.
 */
static void retranslate(struct emu_cpu *cpu, uint64_t la, uint64_t end)
{
	cpu->vtlb_quiet = true;
	uc_ctl_remove_cache(cpu->uc, la, end);
	cpu->vtlb_quiet = false;
}

/* Unicorn stops before any exit address it meets while translating. */
static void set_exits(struct emu_cpu *cpu)
{
	uint64_t exits[EMU_UD_EXITS_MAX + 3];
	size_t n = 0;

	if (cpu->exit_armed)
		exits[n++] = cpu->exit_armed;
	if (cpu->xpage_exit)
		exits[n++] = cpu->xpage_exit;
	if (cpu->step.exit)
		exits[n++] = cpu->step.exit;
	for (uint32_t i = 0; i < cpu->nud_exits; i++)
		if (cpu->ud_exits[i] != cpu->step.skip)
			exits[n++] = cpu->ud_exits[i];
	uc_ctl_set_exits(cpu->uc, n ? exits : NULL, n);
}

void emu_engine_exits_changed(struct emu_cpu *cpu)
{
	set_exits(cpu);
}

/*
 * Make the engine stop right before the instruction at `a`: Unicorn checks
 * exit addresses while translating, so the block must be translated again.
 */
static void arm_exit(struct emu_cpu *cpu, uint64_t a, uint64_t block, uint32_t size)
{
	cpu->exit_armed = a;
	set_exits(cpu);
	retranslate(cpu, block, block + size);
}

static void disarm_exit(struct emu_cpu *cpu)
{
	if (!cpu->exit_armed)
		return;
	/* Unicorn has already dropped the translation that held the exit. */
	cpu->exit_armed = 0;
	set_exits(cpu);
}

/* Everything but the common case: watches, deadlines, a new block. */
static __attribute__((noinline, cold)) void block_slow(uc_engine *uc, struct emu_cpu *cpu,
						       uint64_t addr, uint32_t size, uint32_t slot)
{
	struct emu_block_hot *hot = &cpu->bhot[slot];

	if (cpu->probe.active) {
		/* Only the faulting instruction, which starts this run, may run. */
		if (cpu->probe.blocks++)
			uc_emu_stop(uc);
		return;
	}
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

/*
 * Unicorn made a new translation block: the code at its address may differ
 * from what the block cache analysed there (self-modifying code, a new
 * mapping of the linear page), so the block is analysed afresh when it runs.
 */
static void hook_tb_new(uc_engine *uc, uc_tb *cur, uc_tb *prev, void *user)
{
	struct emu_cpu *cpu = user;
	struct emu_block_hot *hot = &cpu->bhot[block_slot(cur->pc)];

	(void)uc, (void)prev;
	if (hot->addr == cur->pc)
		hot->size = 0;
}

static void hook_trap(uc_engine *uc, uint64_t addr, uint32_t size, void *user)
{
	struct emu_cpu *cpu = user;
	struct emu_insn in;

	(void)size;
	if (cpu->probe.active)
		return;
	if (emu_decode_insn(cpu, addr, &in) != 0 || in.trap == EMU_TRAP_NONE)
		return;
	if (!emu_trap_wanted(cpu, &in))
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

	if (cpu->probe.active) {
		uc_emu_stop(uc);
		return true;
	}
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

	if (cpu->probe.active) {
		uc_emu_stop(uc);
		return;
	}
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

/*
 * Nothing is mapped above MAXPHYADDR, and no translation leads there: only
 * the probe's window is ever reached (vtlb.c).
 */
static bool hook_unmapped(uc_engine *uc, uc_mem_type type, uint64_t address, int size,
			  int64_t value, void *user)
{
	struct emu_cpu *cpu = user;

	(void)type, (void)size, (void)value;
	if (emu_vtlb_probe_unmapped(cpu, address))
		return false;
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
		/* Running the instruction unseen would skip its intercept. */
		emu_fatal(cpu, "more than %u instructions the model must see (trap sites) in the "
			  "guest's code", TRAP_SITES_MAX);
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

/*
 * Unicorn translates a block that runs into the next page as a whole, so a
 * fetch fault on that page stops it at the block's start, before the
 * instructions that come ahead of the one reaching into the page (its
 * translator has no notion of a fault in mid-block). The engine finds that
 * instruction and arms an exit there: the run stops right before it, and
 * its own fetch then faults exactly. A data access of the first instruction
 * to that page faults the same way again, and is then reported as it is.
 */
static bool fetch_fault_later(struct emu_cpu *cpu, uint64_t lin, uint64_t page)
{
	uint64_t x;

	if (page != (lin & ~0xfffull) + 0x1000)
		return false;
	if (cpu->xpage_from == lin) {
		cpu->xpage_from = 0;
		return false;
	}
	x = emu_first_insn_reaching(cpu, lin, page);
	if (!x || x == lin)
		return false;
	cpu->xpage_from = lin;
	cpu->xpage_exit = x;
	set_exits(cpu);
	return true;
}

static bool overlaps(uint64_t page, uint64_t base, uint32_t limit)
{
	return base <= page + 0xfff && page <= base + limit;
}

/*
 * Unicorn's TLB-fill hook is not told which of QEMU's privilege indexes
 * asked, so at CPL 3 the walk checks every access as a user access. The
 * descriptor reads and writes of a segment load, a far transfer or IRET,
 * and the TSS read of an I/O instruction, are supervisor accesses whatever
 * the CPL (SDM vol. 3 §4.6.1): when such an instruction faults as a user on
 * a page of the GDT, LDT or TSS, it runs once more with that page granted
 * as a supervisor access, and an exit right after it ends the grant.
 */
static bool implicit_supervisor_retry(struct emu_cpu *cpu, uint64_t rip, uint64_t lin)
{
	const struct emu_xlate *x = &cpu->vtlb_fault.x;
	uint64_t page = cpu->vtlb_fault.page;
	struct emu_regs r;
	struct emu_insn in;

	if (x->fault != EMU_XF_PF || cpu->vtlb_fault.acc == EMU_ACC_FETCH ||
	    (x->pf_error & (X86_PF_U | X86_PF_P | X86_PF_RSV)) != (X86_PF_U | X86_PF_P) ||
	    cpu->step.tried_rip == rip)
		return false;
	emu_cpustate_store(cpu, &r);
	if (!overlaps(page, r.gdtr.base, r.gdtr.limit) &&
	    !overlaps(page, r.ldtr.base, r.ldtr.limit) && !overlaps(page, r.tr.base, r.tr.limit))
		return false;
	if (!emu_insn_implicit_supervisor(cpu, lin) || emu_decode_insn(cpu, lin, &in) != 0)
		return false;
	emu_engine_unretire(cpu, lin);
	cpu->step.tried_rip = rip;
	cpu->step.grant = true;
	cpu->step.grant_page = page;
	cpu->step.exit = lin + in.len;
	set_exits(cpu);
	/* The block holding the instruction must be translated with the exit. */
	retranslate(cpu, lin, lin + in.len);
	return true;
}

/*
 * The run stopped at an address where an instruction Unicorn cannot
 * translate could start (untranslatable.c). If one does, the model raises
 * #UD for it; if the instruction there is another (the bytes were read in
 * another mode, or belong to other instructions), it runs on its own with
 * that exit left out. True when the stop is the model's to handle.
 */
static bool ud_exit_stop(struct emu_cpu *cpu, uint64_t rip, uint64_t lin)
{
	struct emu_insn in;

	if (emu_untranslatable_at(cpu, lin) || emu_decode_insn(cpu, lin, &in) != 0) {
		cpu->stop = EMU_STOP_INVALID;
		cpu->stop_rip = rip;
		cpu->slow = true;
		return true;
	}
	cpu->step.grant = false;
	cpu->step.skip = lin;
	cpu->step.exit = lin + in.len;
	set_exits(cpu);
	/* A run that began at the exit left a translation there that only
	 * stops: drop every translation (rare: a misread instruction start). */
	uc_ctl_flush_tb(cpu->uc);
	return false;
}

/*
 * An instruction that reads and writes its memory operand (XCHG, ADD to
 * memory, the LOCKed ones) is checked for the write from its first access,
 * so its fault is a write fault: W in the #PF error code (APM vol. 2
 * §8.4.2) and in a #NPF's EXITINFO1 (§15.25.6). Unicorn fills the TLB for
 * the read first; the walk is made again as the write it is.
 */
static void rmw_is_write(struct emu_cpu *cpu, uint64_t lin)
{
	struct emu_insn in;
	struct emu_xlate x;

	if (cpu->vtlb_fault.acc != EMU_ACC_READ || emu_decode_insn(cpu, lin, &in) != 0 ||
	    !in.mem_rmw || in.mem_count != 1)
		return;
	if (emu_xlate(cpu, cpu->vtlb_fault.page, EMU_ACC_WRITE, emu_xlate_flags(cpu), &x) != 0) {
		cpu->vtlb_fault.acc = EMU_ACC_WRITE;
		cpu->vtlb_fault.x = x;
	}
}

/*
 * The run ended on a fill the TLB-fill hook refused (vtlb.c): RIP is the
 * faulting instruction. Work out the exact address and stop with the fault
 * as the guest or the processor model must see it; false to run again.
 */
static bool vtlb_stop(struct emu_cpu *cpu)
{
	uint64_t rip = emu_reg_get(cpu, UC_X86_REG_RIP), lin = emu_linear(cpu, rip);
	uint64_t page = cpu->vtlb_fault.page, addr;
	const struct emu_xlate *x = &cpu->vtlb_fault.x;

	cpu->vtlb_fault.valid = false;
	if (implicit_supervisor_retry(cpu, rip, lin))
		return false;
	cpu->step.tried_rip = 0;
	if (cpu->vtlb_fault.acc == EMU_ACC_FETCH) {
		if (fetch_fault_later(cpu, lin, page))
			return false;
		/* The first byte that could not be fetched. */
		addr = page == (lin & ~0xfffull) ? lin : page;
	} else {
		uint64_t la;
		uint8_t size;

		/* Worked out from the operand where it can be; else run again. */
		if (!emu_operand_address(cpu, lin, &la, &size))
			addr = page | emu_vtlb_probe(cpu, rip);
		else if ((la & ~0xfffull) == page)
			addr = la;
		else if (la < page && la + size > page)
			addr = page; /* an access that begins on the page before */
		else
			addr = page | emu_vtlb_probe(cpu, rip);
		/* After the probe, which re-runs the instruction's reads. */
		rmw_is_write(cpu, lin);
	}
	emu_engine_unretire(cpu, lin);
	cpu->stop_rip = rip;
	cpu->slow = true;
	switch (x->fault) {
	case EMU_XF_SLAT:
		cpu->stop = EMU_STOP_SLAT;
		cpu->slat_info = x->slat_info;
		cpu->slat_table = x->slat_table;
		cpu->slat_la = addr;
		cpu->fault_la = x->slat_table ? x->slat_gpa :
				(x->slat_gpa & ~0xfffull) | (addr & 0xfff);
		break;
	case EMU_XF_GP:
		cpu->stop = EMU_STOP_EXCEPTION;
		cpu->stop_intno = X86_VEC_GP;
		cpu->stop_error = 0;
		break;
	default:
		cpu->stop = EMU_STOP_EXCEPTION;
		cpu->stop_intno = X86_VEC_PF;
		cpu->stop_error = x->pf_error;
		cpu->stop_cr2 = addr;
		break;
	}
	return true;
}

enum emu_stop emu_engine_run(struct emu_cpu *cpu)
{
	for (;;) {
		uint64_t rip = emu_reg_get(cpu, UC_X86_REG_RIP);
		uc_err e;

		cpu->stop = EMU_STOP_NONE;
		cpu->cur_block = -1;
		cpu->vtlb_fault.valid = false;
		cpu->step.active = cpu->step.exit != 0;
		emu_watch_update(cpu);
		cpu->ctx_fresh = false;
		cpu->in_engine = true;
		e = uc_emu_start(cpu->uc, rip, 0, 0, 0);
		cpu->in_engine = false;
		cpu->ctx_fresh = false;
		if (cpu->step.active) {
			/* The step served one run of one instruction, however it ended. */
			uint64_t after = cpu->step.exit;

			cpu->step.active = false;
			cpu->step.grant = false;
			cpu->step.exit = 0;
			cpu->step.skip = 0;
			set_exits(cpu);
			if (cpu->stop == EMU_STOP_NONE && e == UC_ERR_OK && !cpu->vtlb_fault.valid &&
			    emu_linear(cpu, emu_reg_get(cpu, UC_X86_REG_RIP)) == after) {
				cpu->step.tried_rip = 0;
				continue;
			}
		}
		if (cpu->stop_rip_fixup) {
			cpu->stop_rip_fixup = false;
			emu_reg_set(cpu, UC_X86_REG_RIP, cpu->stop_rip);
		}
		if (cpu->stop == EMU_STOP_RESTART)
			continue;
		if (cpu->stop == EMU_STOP_NONE && e == UC_ERR_EXCEPTION && cpu->vtlb_fault.valid) {
			disarm_exit(cpu);
			if (!vtlb_stop(cpu))
				continue;
			return cpu->stop;
		}
		if (cpu->stop == EMU_STOP_NONE && e == UC_ERR_OK && cpu->nud_exits) {
			uint64_t at_rip = emu_reg_get(cpu, UC_X86_REG_RIP);
			uint64_t at = emu_linear(cpu, at_rip);

			if (at != cpu->exit_armed && at != cpu->xpage_exit && emu_ud_exit(cpu, at)) {
				disarm_exit(cpu);
				if (ud_exit_stop(cpu, at_rip, at))
					return cpu->stop;
				continue;
			}
		}
		if (cpu->stop == EMU_STOP_NONE && e == UC_ERR_OK && (cpu->exit_armed || cpu->xpage_exit)) {
			uint64_t at = emu_linear(cpu, emu_reg_get(cpu, UC_X86_REG_RIP));

			if (at == cpu->xpage_exit) {
				/* Right before the instruction that reaches the next page. */
				cpu->xpage_exit = 0;
				set_exits(cpu);
				if (at != cpu->exit_armed) {
					disarm_exit(cpu);
					continue;
				}
			}
			if (at == cpu->exit_armed) {
				/* Stopped at the armed boundary: the rest of the block did not run. */
				emu_engine_unretire(cpu, cpu->exit_armed);
				cpu->stop = EMU_STOP_EVENT;
			}
		}
		disarm_exit(cpu);
		if (cpu->stop == EMU_STOP_EXCEPTION && cpu->stop_intno == X86_VEC_PF &&
		    fetch_fault_later(cpu, emu_linear(cpu, cpu->stop_rip), cpu->stop_cr2)) {
			/* Not reported: the instructions before the page boundary run first. */
			emu_cpustate_clear_exception(cpu);
			continue;
		}
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

void emu_engine_flush_tlb(struct emu_cpu *cpu)
{
	uc_ctl_flush_tlb(cpu->uc);
	cpu->tlb_gen++;
	emu_block_cache_flush(cpu);
}

/*
 * QEMU's TLB is not tagged with an address space. Whenever VMRUN loads a
 * paging state other than the one the TLB was filled under, or the VMCB asks
 * for a flush or names another ASID or second level, flush it.
 */
void emu_engine_sync_tlb(struct emu_cpu *cpu, const struct emu_regs *r, uint32_t asid,
			 uint64_t slat_root, bool force)
{
	if (!force && cpu->tlb_valid && cpu->tlb_cr0 == r->cr0 && cpu->tlb_cr3 == r->cr3 &&
	    cpu->tlb_cr4 == r->cr4 && cpu->tlb_efer == r->efer && cpu->tlb_asid == asid &&
	    cpu->tlb_slat == cpu->slat && cpu->tlb_ncr3 == slat_root)
		return;
	emu_engine_flush_tlb(cpu);
	cpu->tlb_valid = true;
	cpu->tlb_cr0 = r->cr0;
	cpu->tlb_cr3 = r->cr3;
	cpu->tlb_cr4 = r->cr4;
	cpu->tlb_efer = r->efer;
	cpu->tlb_asid = asid;
	cpu->tlb_slat = cpu->slat;
	cpu->tlb_ncr3 = slat_root;
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
	/* Nothing of the bootstrap may stay: its memory, nor its translations
	 * (identity-mapped still, so linear addresses name them). */
	memset(ram, 0, 0x9000);
	uc_ctl_remove_cache(cpu->uc, 0x8000, 0x8000 + len);
	emu_block_cache_flush(cpu);
	cpu->tlb_valid = false;
	cpu->cycle = 0;
	cpu->insns = 0;
	return 0;
}

/*
 * The system-physical address space, fixed for the engine's life: RAM, the
 * devices' pages (in ascending order, as the machine lists them), and open
 * bus everywhere else up to MAXPHYADDR — a handful of regions whatever the
 * guest touches.
 */
static uc_err map_system_physical(struct emu_cpu *cpu)
{
	struct emu_machine *m = cpu->m;
	uint64_t at = m->ram_size;
	uc_err e;

	if ((e = uc_mem_map_ptr(cpu->uc, 0, m->ram_size, UC_PROT_ALL, m->ram)) != UC_ERR_OK)
		return e;
	for (uint32_t i = 0; i < m->ndevices; i++) {
		const struct emu_device *d = m->devices[i];
		struct emu_mmio_binding *b = &cpu->mmio[i];

		if (!d->mmio_size)
			continue;
		if (d->mmio_base < at || d->mmio_base + d->mmio_size > EMU_PHYS_LIMIT)
			return UC_ERR_ARG;
		if (d->mmio_base > at &&
		    (e = uc_mmio_map(cpu->uc, at, d->mmio_base - at, open_bus_read, NULL,
				     open_bus_write, NULL)) != UC_ERR_OK)
			return e;
		b->cpu = cpu;
		b->dev = d;
		if ((e = uc_mmio_map(cpu->uc, d->mmio_base, d->mmio_size, device_mmio_read, b,
				     device_mmio_write, b)) != UC_ERR_OK)
			return e;
		at = d->mmio_base + d->mmio_size;
	}
	return uc_mmio_map(cpu->uc, at, EMU_PHYS_LIMIT - at, open_bus_read, NULL, open_bus_write,
			   NULL);
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
	    uc_hook_add(cpu->uc, &cpu->hook_tb_new, UC_HOOK_EDGE_GENERATED, (void *)hook_tb_new,
			cpu, 1, 0) ||
	    emu_vtlb_init(cpu) != 0) {
		snprintf(err, errlen, "uc_hook_add failed");
		return -1;
	}
	return bootstrap(cpu, err, errlen);
}

void emu_engine_fini(struct emu_cpu *cpu)
{
	emu_decode_fini(cpu);
	emu_vtlb_fini(cpu);
	if (cpu->ctx)
		uc_context_free(cpu->ctx);
	if (cpu->uc)
		uc_close(cpu->uc);
	free(cpu->blocks);
	free(cpu->bhot);
	free(cpu->trap_sites);
	cpu->ctx = NULL;
	cpu->uc = NULL;
	cpu->blocks = NULL;
	cpu->bhot = NULL;
	cpu->trap_sites = NULL;
}
