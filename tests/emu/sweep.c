/* SPDX-License-Identifier: MIT */
/*
 * The sweep's guest: one machine and one guest run a batch of encodings,
 * each from the same state, each the only instruction the guest runs.
 *
 * - Every exception, every instruction intercept, INTR, NMI, SHUTDOWN and
 *   every MSR and I/O port are intercepted, and RFLAGS.TF is set, so the
 *   guest leaves after one instruction: on a fault or an intercept before
 *   it, on the single-step #DB trap after it (APM vol. 2 §13.1.4). After
 *   MOV SS and POP SS the trap waits one more instruction (the fill that
 *   follows, which runs in the shadow).
 * - The general registers but rSP hold DATA and the bytes after the ModRM
 *   byte are SWEEP_FILL, so every memory operand lands in the first
 *   megabyte, below CODE (page allocation starts above the megabyte), or,
 *   through a 32-bit displacement, beyond RAM on the open bus. The stack
 *   is there too.
 * - Each encoding of a batch has a window of code of its own, written
 *   before it runs, at an address nothing ran from on this machine: the
 *   engine has no translation of it to drop, and no trap site there
 *   unless the encoding itself is one, so each is translated as the first
 *   code at its address is. (Writing over code the engine ran would need
 *   its translations dropped by linear address: Unicorn 2.1.1 keeps them
 *   across uc_mem_write(), whose invalidate_and_set_dirty() is empty.)
 *   Only a real-mode CS-relative store reaches code, that of the
 *   encodings still to come, which are written over before they run.
 * - Each encoding starts from a copy of the VMCB and the registers taken
 *   before the first, and VMLOAD restores FS, GS, TR, LDTR and the
 *   system-call MSRs, which VMRUN does not load (APM vol. 2 §15.5.2).
 */
#include <string.h>

#include "emu/emu.h"
#include "guest_util.h"
#include "sweep.h"
#include "x86/cpu.h"
#include "x86/svm.h"

#define DATA 0x1000ull      /* every GPR but rSP: reach 9 * DATA + disp8 */
#define STACK 0x40000ull    /* rSP in 32- and 64-bit mode: reach STACK + 8 * DATA */
#define STACK16 0xf000ull   /* SP in real mode (SS base 0) */
#define CODE 0x90000ull     /* the windows, SWEEP_BATCH * SWEEP_WINDOW bytes */
#define RAM (2ull << 20)

/* Real-mode CS-relative stores reach 64 KiB and an operand past CS.base. */
_Static_assert(CODE + SWEEP_BATCH * SWEEP_WINDOW + 0x11000 <= 0x100000,
	       "the windows fit below the megabyte");

static const uint8_t form_byte[SWEEP_FORMS] = { 0, 0x66, 0xf2, 0xf3, 0xf0, 0x48 };

uint64_t sweep_count(enum sweep_mode m)
{
	return (uint64_t)(m == SWEEP_LONG ? SWEEP_FORMS : SWEEP_FORMS - 1) * SWEEP_MAPS * 65536;
}

/* idx = ((form * SWEEP_MAPS + map) * 256 + opcode) * 256 + ModRM */
size_t sweep_encode(uint64_t idx, uint8_t out[SWEEP_WINDOW])
{
	enum sweep_map map = (enum sweep_map)((idx >> 16) % SWEEP_MAPS);
	enum sweep_form form = (enum sweep_form)((idx >> 16) / SWEEP_MAPS);
	size_t n = 0;

	if (form != SWEEP_BARE)
		out[n++] = form_byte[form];
	if (map != SWEEP_1B)
		out[n++] = 0x0f;
	if (map == SWEEP_0F38)
		out[n++] = 0x38;
	else if (map == SWEEP_0F3A)
		out[n++] = 0x3a;
	out[n++] = (uint8_t)(idx >> 8);
	out[n++] = (uint8_t)idx;
	memset(out + n, SWEEP_FILL, SWEEP_WINDOW - n);
	return n;
}

const char *sweep_mode_name(enum sweep_mode m)
{
	static const char *const names[SWEEP_MODES] = { "real mode", "32-bit protected mode",
							"64-bit mode" };

	return names[m];
}

/* What the host function of a machine works on: shared with the caller. */
struct batch {
	const struct sweep_plan *plan;
	volatile uint64_t *next;
	uint64_t end;
};

static void intercept_everything(struct tguest *g)
{
	struct vmcb_control_area *c = &g->vmcb->control;
	uint64_t msrpm = arch_pages_alloc(2), iopm = arch_pages_alloc(3);

	for (int i = 0; i < VMCB_INTERCEPT_WORDS; i++)
		c->intercepts[i] = ~0u;
	memset(arch_phys_to_virt(msrpm), 0xff, 2 * 4096);
	memset(arch_phys_to_virt(iopm), 0xff, 3 * 4096);
	c->msrpm_base_pa = msrpm;
	c->iopm_base_pa = iopm;
}

static void build_guest(enum sweep_mode m, struct tguest *g)
{
	struct vmcb_save_area *s;

	tg_svm_on();
	if (m == SWEEP_LONG)
		tg_long(g, "", 0);
	else if (m == SWEEP_PROT32)
		tg_prot32(g, "", 0);
	else
		tg_real(g, "", 0);
	intercept_everything(g);
	s = &g->vmcb->save;
	s->rflags = X86_RFLAGS_FIXED | X86_RFLAGS_TF;
	s->rax = DATA;
	s->rsp = m == SWEEP_REAL ? STACK16 : STACK;
	g->gprs = (struct arch_gprs){ DATA, DATA, DATA, DATA, DATA, DATA, DATA,
				      DATA, DATA, DATA, DATA, DATA, DATA, DATA, .rax = 0 };
	/* The VMLOAD state each encoding starts from: the processor's own. */
	arch_vmsave(g->vmcb_pa);
}

/* Real mode runs at CS:0 with CS.base the window, 16-byte aligned. */
static void place(enum sweep_mode m, struct vmcb_save_area *s, uint64_t at)
{
	if (m == SWEEP_REAL) {
		s->cs.selector = (uint16_t)(at >> 4);
		s->cs.base = at;
		s->rip = 0;
	} else {
		s->rip = at;
	}
}

static enum sweep_kind kind_of(uint64_t exit_code)
{
	if (exit_code == SVM_EXIT_EXCP_BASE + X86_VEC_UD)
		return SWEEP_UD;
	if (exit_code == SVM_EXIT_EXCP_BASE + X86_VEC_DB)
		return SWEEP_RETIRED;
	if (exit_code >= SVM_EXIT_EXCP_BASE && exit_code < SVM_EXIT_EXCP_BASE + 32)
		return SWEEP_EXCEPTION;
	return SWEEP_INTERCEPT;
}

static void batch_fn(void *arg)
{
	struct batch *b = arg;
	const struct sweep_plan *p = b->plan;
	struct tguest g;
	struct vmcb tmpl;
	struct arch_gprs gprs;

	build_guest(p->mode, &g);
	tmpl = *g.vmcb;
	gprs = g.gprs;
	while (*b->next < b->end) {
		uint64_t at = CODE + (*b->next % SWEEP_BATCH) * SWEEP_WINDOW;
		struct sweep_result r;

		p->encode(*b->next, arch_phys_to_virt(at));
		*g.vmcb = tmpl;
		/* The window's page may be in the engine's TLB from an encoding
		 * before: flush it, as a hypervisor that rewrote guest code does,
		 * so the new code is looked over before it is translated. */
		g.vmcb->control.tlb_ctl = TLB_CONTROL_FLUSH_ALL_ASID;
		place(p->mode, &g.vmcb->save, at);
		g.gprs = gprs;
		arch_vmload(g.vmcb_pa);
		tg_run(&g);
		r.exit_code = g.vmcb->control.exit_code;
		r.info1 = g.vmcb->control.exit_info_1;
		r.rip = g.vmcb->save.rip;
		r.start_rip = p->mode == SWEEP_REAL ? 0 : at;
		r.kind = kind_of(r.exit_code);
		r.error = NULL;
		p->visit(p->user, *b->next, &r);
		++*b->next;
	}
}

int sweep_range(const struct sweep_plan *p, volatile uint64_t *next, uint64_t end, char *err,
		size_t errlen)
{
	struct emu_config cfg;
	struct batch b = { p, next, 0 };

	emu_config_default(&cfg);
	cfg.ram_size = RAM;
	while (*next < end) {
		struct emu_machine *mach = emu_machine_create(&cfg, err, errlen);

		if (!mach)
			return -1;
		b.end = (*next / SWEEP_BATCH + 1) * SWEEP_BATCH;
		if (b.end > end)
			b.end = end;
		if (emu_machine_run(mach, batch_fn, &b) != 0) {
			struct sweep_result r = { .kind = SWEEP_MODEL_ERROR,
						  .error = emu_machine_error(mach) };

			p->visit(p->user, *next, &r);
			++*next;
		}
		emu_machine_destroy(mach);
	}
	return 0;
}
