/* SPDX-License-Identifier: MIT */
/*
 * Seeds of the VMRUN target: VMCBs built on the machine fuzz_vmrun.c
 * gives every input (vmrun_env.h), with the engine tests' guest code
 * (tests/emu/guests.S) and the intercept scenarios' guest: long mode
 * plain, with an injected interrupt, with intercepts and under nested
 * paging; protected and real mode as tests/emu/guest_util.c builds them,
 * whose first allocations (VMCB, code, stack) are the same.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "emu/emu.h"
#include "inputs.h"
#include "make_seeds.h"
#include "vmrun_env.h"
#include "x86/svm.h"

extern const uint8_t t64_nops[], t64_nops_end[], t64_sti_hlt[], t64_sti_hlt_end[];
extern const uint8_t t64_ud2[], t64_ud2_end[], t64_bad_ds[], t64_bad_ds_end[];
extern const uint8_t t64_load[], t64_load_end[], t64_qprog[], t64_qprog_end[];
extern const uint8_t t32_mov[], t32_mov_end[], t16_mov[], t16_mov_end[];
extern const uint8_t t16_climb[], t16_climb_end[];
extern const uint8_t icpt_guest_start[], icpt_guest_end[], icpt_guest_cpuid[];

enum mode { LONG, PROT32, REAL };
enum extra { PLAIN, INJECT, INTERCEPTS, NESTED };

static struct {
	enum mode mode;
	enum extra extra;
	const uint8_t *code;
	size_t len;
	uint8_t vmcb[FZ_VMCB_SIZE];
} cur;

static void build(void *arg)
{
	struct fz_vmrun_env e;
	struct tguest *g = &e.g;

	(void)arg;
	if (cur.mode == LONG) {
		fz_vmrun_env(&e, cur.code, cur.len);
	} else {
		tg_svm_on();
		if (cur.mode == PROT32)
			tg_prot32(g, cur.code, cur.len);
		else
			tg_real(g, cur.code, cur.len);
	}
	switch (cur.extra) {
	case PLAIN:
		break;
	case INJECT:
		/* An external interrupt at entry, its handler the code itself (APM §15.20). */
		g->vmcb->control.event_inj = SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_INTR |
					     FZ_VMRUN_VECTOR;
		break;
	case INTERCEPTS:
		/* The CPUID entry of the intercept scenarios' guest, CPUID and HLT intercepted. */
		g->vmcb->control.intercepts[VMCB_INTERCEPT_MISC1] |= INTERCEPT_CPUID | INTERCEPT_HLT;
		g->vmcb->control.intercepts[VMCB_INTERCEPT_EXC] |= 1u << 6; /* #UD */
		g->vmcb->save.rip = g->code_pa + (uint64_t)(icpt_guest_cpuid - icpt_guest_start);
		break;
	case NESTED:
		g->vmcb->control.nested_ctl = SVM_NESTED_CTL_NP_ENABLE;
		g->vmcb->control.nested_cr3 = e.npt_root;
		break;
	}
	memcpy(cur.vmcb, g->vmcb, FZ_VMCB_SIZE);
}

static void seed(const char *name, uint8_t flags, enum mode mode, enum extra extra,
		 const uint8_t *code, const uint8_t *end)
{
	struct emu_config cfg;
	struct emu_machine *m;
	char err[256];
	FILE *f;

	cur.mode = mode;
	cur.extra = extra;
	cur.code = code;
	cur.len = (size_t)(end - code);
	memset(cur.vmcb, 0, sizeof(cur.vmcb));
	emu_config_default(&cfg);
	cfg.npt = (flags & FZ_VMRUN_NPT) != 0;
	cfg.vnmi = (flags & FZ_VMRUN_VNMI) != 0;
	cfg.nrips = (flags & FZ_VMRUN_NRIPS) != 0;
	if (!(m = fz_machine_create(&cfg, err, sizeof(err))) || emu_machine_run(m, build, NULL)) {
		fprintf(stderr, "make_seeds: vmrun/%s: %s\n", name, m ? emu_machine_error(m) : err);
		exit(1);
	}
	emu_machine_destroy(m);
	f = seed_open("vmrun", name);
	fz_put(f, flags, 1);
	fwrite(cur.vmcb, 1, sizeof(cur.vmcb), f);
	fwrite(cur.code, 1, cur.len, f);
	seed_close(f);
}

#define ALL (FZ_VMRUN_NPT | FZ_VMRUN_VNMI | FZ_VMRUN_NRIPS)
#define TWICE (1u << FZ_VMRUN_RUNS_SHIFT)
#define SNIPPET(name) name, name##_end

void seeds_vmrun(void)
{
	seed("long-nops", ALL, LONG, PLAIN, SNIPPET(t64_nops));
	seed("long-nops-twice", ALL | TWICE, LONG, PLAIN, SNIPPET(t64_nops));
	seed("long-sti-hlt", ALL, LONG, PLAIN, SNIPPET(t64_sti_hlt));
	seed("long-ud2", 0, LONG, PLAIN, SNIPPET(t64_ud2));
	seed("long-bad-ds", ALL, LONG, PLAIN, SNIPPET(t64_bad_ds));
	seed("long-load", ALL, LONG, PLAIN, SNIPPET(t64_load));
	seed("long-loop", ALL, LONG, PLAIN, SNIPPET(t64_qprog));
	seed("long-inject", ALL, LONG, INJECT, SNIPPET(t64_nops));
	seed("long-intercepts", ALL, LONG, INTERCEPTS, icpt_guest_start, icpt_guest_end);
	seed("long-nested", ALL, LONG, NESTED, SNIPPET(t64_load));
	seed("prot32-mov", ALL, PROT32, PLAIN, SNIPPET(t32_mov));
	seed("real-mov", ALL, REAL, PLAIN, SNIPPET(t16_mov));
	seed("real-climb", ALL, REAL, PLAIN, SNIPPET(t16_climb));
}
