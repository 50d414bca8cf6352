/* SPDX-License-Identifier: MIT */
/*
 * The hv core's run loop as its callers see it: each guest action comes back
 * as the KVM-like exit it stands for, with the instruction already skipped
 * (VMMCALL, HLT, I/O), and the core's state (mp_state) updated.
 */
#include "svm_util.h"
#include "x86/cpu.h"

CONF_PAYLOAD_DECLARE(icpt_guest);
CONF_PAYLOAD_LABEL(icpt_guest, hlt);
CONF_PAYLOAD_LABEL(icpt_guest, out);
CONF_PAYLOAD_LABEL(icpt_guest, out_insn);
CONF_PAYLOAD_LABEL(icpt_guest, cpuid);
CONF_PAYLOAD_LABEL(icpt_guest, ud);

static bool setup(struct conf_ctx *ctx, struct conf_svm *s)
{
	return conf_svm_setup(ctx, s, CONF_PAYLOAD(icpt_guest), false);
}

static bool run(struct conf_ctx *ctx, struct conf_svm *s, struct hv_exit *exit, uint32_t reason)
{
	if (hv_vcpu_run(&s->vcpu, exit) != HV_OK) {
		conf_error(ctx, "hv_vcpu_run refused the vCPU");
		return false;
	}
	if (exit->reason != reason) {
		conf_fail(ctx, "exit: got %s (exit_code 0x%llx %s), want %s",
			  hv_exit_reason_name(exit->reason), (unsigned long long)exit->raw.reason,
			  svm_exit_name(exit->raw.reason), hv_exit_reason_name(reason));
		return false;
	}
	conf_count_check(ctx, "exit reason", true);
	return true;
}

/* VMMCALL under the core — Expect: HYPERCALL exit with RAX, RIP past the VMMCALL */
CONF_SCENARIO(svm_core_hypercall_exit, "svm core",
	      "Expect: hv_vcpu_run returns HYPERCALL with nr = guest RAX and RIP advanced by 3",
	      "APM vol. 2 §15.7.1, §15.9", conf_svm_unsupported)
{
	struct conf_svm s;
	struct hv_exit exit;

	if (!setup(ctx, &s) || !run(ctx, &s, &exit, HV_EXIT_HYPERCALL))
		return;
	conf_check_u64(ctx, "hypercall nr", exit.hypercall.nr, MARK_DONE);
	conf_check_exit(ctx, "exit_code", exit.raw.reason, SVM_EXIT_VMMCALL);
	conf_check_u64(ctx, "RIP after the exit", s.vmcb->save.rip, s.guest.entry + 5 + 3);
}

/* OUT under the core with the port intercepted — Expect: IO exit with port, size, data */
CONF_SCENARIO(svm_core_io_exit, "svm core",
	      "Expect: hv_vcpu_run returns IO (port 0x80, size 1, out, data 0x5a) with RIP at "
	      "EXITINFO2, the next instruction",
	      "APM vol. 2 §15.10.2", conf_svm_unsupported)
{
	struct conf_svm s;
	struct hv_exit exit;

	if (!setup(ctx, &s))
		return;
	hv_vmcb_intercept(s.vmcb, VMCB_INTERCEPT_MISC1, INTERCEPT_IOIO_PROT, true);
	hv_iopm_set(s.vmcb, 0x80, true);
	conf_svm_start_at(&s, icpt_guest_out);
	if (!run(ctx, &s, &exit, HV_EXIT_IO))
		return;
	conf_check_u64(ctx, "port", exit.io.port, 0x80);
	conf_check_u64(ctx, "size", exit.io.size, 1);
	conf_check_true(ctx, "direction out", !exit.io.in);
	conf_check_u64(ctx, "data", exit.io.data, 0x5a);
	conf_check_u64(ctx, "RIP after the exit", s.vmcb->save.rip,
		       conf_svm_addr(&s, icpt_guest_out_insn) + 2);
	if (run(ctx, &s, &exit, HV_EXIT_HYPERCALL))
		conf_check_u64(ctx, "guest continues after the OUT", exit.hypercall.nr, MARK_AFTER);
}

/* HLT under the core — Expect: HLT exit, mp_state HALTED, RUNNABLE again on the next run */
CONF_SCENARIO(svm_core_hlt_exit, "svm core",
	      "Expect: hv_vcpu_run returns HLT with mp_state = HALTED (3); the next run makes "
	      "it RUNNABLE (0) and continues after the HLT",
	      "APM vol. 2 §15.9; KVM_MP_STATE values", conf_svm_unsupported)
{
	struct conf_svm s;
	struct hv_exit exit;

	if (!setup(ctx, &s))
		return;
	hv_vmcb_intercept(s.vmcb, VMCB_INTERCEPT_MISC1, INTERCEPT_HLT, true);
	conf_svm_start_at(&s, icpt_guest_hlt);
	if (!run(ctx, &s, &exit, HV_EXIT_HLT))
		return;
	conf_check_u64(ctx, "mp_state", s.vcpu.mp_state, HV_MP_STATE_HALTED);
	if (!run(ctx, &s, &exit, HV_EXIT_HYPERCALL))
		return;
	conf_check_u64(ctx, "mp_state", s.vcpu.mp_state, HV_MP_STATE_RUNNABLE);
	conf_check_u64(ctx, "guest continues after the HLT", exit.hypercall.nr, MARK_AFTER);
}

/* CPUID intercepted under the core — Expect: emulated in the core, guest gets the leaf */
CONF_SCENARIO(svm_core_cpuid_handled, "svm core",
	      "Expect: an intercepted CPUID is answered inside hv_vcpu_run (no exit to the "
	      "caller); the guest continues with leaf 0's EBX (the vendor's first word)",
	      "APM vol. 2 §15.9", conf_svm_unsupported)
{
	struct conf_svm s;
	struct hv_exit exit;
	struct arch_cpuid leaf0;

	if (!setup(ctx, &s))
		return;
	hv_vmcb_intercept(s.vmcb, VMCB_INTERCEPT_MISC1, INTERCEPT_CPUID, true);
	conf_svm_start_at(&s, icpt_guest_cpuid);
	if (!run(ctx, &s, &exit, HV_EXIT_HYPERCALL))
		return;
	arch_cpuid(0, 0, &leaf0);
	conf_check_u64(ctx, "guest continues after the CPUID", exit.hypercall.nr, MARK_AFTER);
	conf_check_u64(ctx, "guest EBX (vendor)", s.vcpu.gprs.rbx & 0xffffffffu, leaf0.ebx);
}

/* An exception in the guest with no handler of its own — Expect: EXCEPTION exit from the stub */
CONF_SCENARIO(svm_core_guest_exception_exit, "svm core",
	      "Expect: a guest #UD reaching the default IDT stub comes back as EXCEPTION "
	      "(vector 6, RIP of the UD2)",
	      "APM vol. 2 §8.2; hv/guest.h", conf_svm_unsupported)
{
	struct conf_svm s;
	struct hv_exit exit;

	if (!setup(ctx, &s))
		return;
	conf_svm_start_at(&s, icpt_guest_ud);
	if (!run(ctx, &s, &exit, HV_EXIT_EXCEPTION))
		return;
	conf_check_u64(ctx, "source", exit.exception.source, HV_EXC_GUEST_STUB);
	conf_check_u64(ctx, "vector", exit.exception.vector, X86_VEC_UD);
	conf_check_u64(ctx, "RIP", exit.exception.rip, conf_svm_addr(&s, icpt_guest_ud));
}

/* An illegal VMCB under the core — Expect: FAIL_ENTRY with hardware reason VMEXIT_INVALID */
CONF_SCENARIO(svm_core_fail_entry, "svm core",
	      "Expect: hv_vcpu_run returns FAIL_ENTRY with hardware_entry_failure_reason = "
	      "VMEXIT_INVALID (-1) for ASID 0",
	      "APM vol. 2 §15.5.1", conf_svm_unsupported)
{
	struct conf_svm s;
	struct hv_exit exit;

	if (!setup(ctx, &s))
		return;
	s.vmcb->control.asid = 0;
	if (!run(ctx, &s, &exit, HV_EXIT_FAIL_ENTRY))
		return;
	/* The raw EXITCODE; svm_vmrun_invalid_exit_code checks its upper half. */
	conf_check_masked(ctx, "hardware_entry_failure_reason (low 32 bits)",
			  exit.fail_entry.hardware_entry_failure_reason, 0xffffffffu, 0xffffffffu);
}
