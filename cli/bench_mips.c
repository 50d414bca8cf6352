/* SPDX-License-Identifier: MIT */
/*
 * Guest MIPS on the model, cycle accounting on: a bench loop as an SVM
 * guest built by the hv core, entered once per batch and ended by VMMCALL.
 * Only the time inside VMRUN..#VMEXIT is guest time, so the world switch
 * at each end is noise against hundreds of millions of instructions.
 */
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "bench_loop.h"
#include "bench_machine.h"
#include "emu/emu.h"
#include "hv/hv.h"

#define CALIBRATION_ITERATIONS 1000000u
#define MAX_ITERATIONS (UINT64_C(1) << 36)
#define LOOP_MAX 64u

struct mips_run {
	const struct vx_bench_loop *loop;
	double seconds;
	uint64_t calib_iters, iters;
	double t;
	char why[200];
};

/* One entry running n iterations; 0, or -1 with a->why set. */
static int run_loop(struct hv_vcpu *vcpu, const struct hv_guest *g, uint64_t n,
		    struct mips_run *a)
{
	arch_fault_t f;

	hv_svm_vmcb(vcpu)->save.rip = g->entry;
	hv_svm_vmcb(vcpu)->save.rax = 0;
	vcpu->gprs.rcx = n;
	/* Data on the guest's stack: its own pages, never the loop's. */
	vcpu->gprs.rbx = g->stack_top - 64;
	f = hv_vcpu_enter(vcpu);
	if (f != ARCH_OK) {
		snprintf(a->why, sizeof(a->why), "VMRUN faulted (vector %u)", ARCH_FAULT_VECTOR(f));
		return -1;
	}
	if (hv_svm_vmcb(vcpu)->control.exit_code != SVM_EXIT_VMMCALL || vcpu->gprs.rcx != 0) {
		snprintf(a->why, sizeof(a->why),
			 "%s ended with #VMEXIT %s and %llu of %llu iterations to go",
			 a->loop->what, svm_exit_name(hv_svm_vmcb(vcpu)->control.exit_code),
			 (unsigned long long)vcpu->gprs.rcx, (unsigned long long)n);
		return -1;
	}
	return 0;
}

static void mips_on_model(void *p)
{
	struct mips_run *a = p;
	/* The loop, then VMMCALL to hand control back. */
	uint8_t payload[LOOP_MAX + 3];
	struct hv_guest_config gc = {
		.payload = payload,
		.payload_len = a->loop->len + 3,
		.entry = 0,
		.common_handler = HV_GUEST_BUILTIN,
	};
	struct hv_vcpu_config vc = { .use_vnmi = false };
	struct hv_guest g;
	struct hv_vcpu vcpu;
	double t0, t;
	int err;

	memcpy(payload, a->loop->code, a->loop->len);
	memcpy(payload + a->loop->len, (const uint8_t[]){ 0x0f, 0x01, 0xd9 }, 3);
	if ((err = hv_svm_enable()) != HV_OK || (err = hv_guest_build(&g, &gc)) != HV_OK ||
	    (err = hv_vcpu_create(&vcpu, &vc, &g)) != HV_OK) {
		snprintf(a->why, sizeof(a->why), "guest set-up failed: %s", hv_strerror(err));
		return;
	}
	if (a->loop->uses_rbx && (g.stack_top - 64) >> 12 == g.payload_base >> 12) {
		snprintf(a->why, sizeof(a->why), "the guest's stack shares a page with its code");
		return;
	}
	a->calib_iters = CALIBRATION_ITERATIONS;
	t0 = vx_cpu_seconds();
	if (run_loop(&vcpu, &g, a->calib_iters, a) != 0)
		return;
	t = vx_cpu_seconds() - t0;
	a->iters = (uint64_t)((double)a->calib_iters * a->seconds / (t > 1e-6 ? t : 1e-6));
	if (a->iters < 1)
		a->iters = 1;
	if (a->iters > MAX_ITERATIONS)
		a->iters = MAX_ITERATIONS;
	t0 = vx_cpu_seconds();
	if (run_loop(&vcpu, &g, a->iters, a) != 0)
		return;
	a->t = vx_cpu_seconds() - t0;
}

void vx_bench_model_mips(double seconds, const struct vx_bench_loop *loop,
			 struct vx_bench_rate *out)
{
	struct mips_run a = { .loop = loop, .seconds = seconds };
	struct emu_stats st;
	uint64_t want;

	out->ok = false;
	if (loop->len > LOOP_MAX) {
		snprintf(out->why, sizeof(out->why), "%s is longer than %u bytes", loop->what,
			 LOOP_MAX);
		return;
	}
	if (vx_bench_on_model(mips_on_model, &a, &st, out->why, sizeof(out->why)) != 0)
		return;
	if (a.t <= 0) {
		snprintf(out->why, sizeof(out->why), "%s", a.why[0] ? a.why : "the loop did not run");
		return;
	}
	/* The model's own count must cover the loop, or the figure means nothing. */
	want = (a.calib_iters + a.iters) * loop->insns_per_iteration;
	if (st.guest_instructions < want) {
		snprintf(out->why, sizeof(out->why),
			 "the model counted %llu guest instructions, the loop retired %llu",
			 (unsigned long long)st.guest_instructions, (unsigned long long)want);
		return;
	}
	out->ok = true;
	out->count = a.iters * loop->insns_per_iteration;
	out->seconds = a.t;
}
