/* SPDX-License-Identifier: MIT */
/*
 * The hv core's run loop on its VMX backend, as svm_core_* check it on SVM
 * (conformance/src/svm/core_exits.c): each guest action comes back as the
 * KVM-like exit it stands for, with the instruction already skipped, and
 * the exit's own words in exit.raw (SDM vol. 3C §28.2).
 */
#include "../core/backend.h"
#include "../svm/svm_util.h"
#include "hv/vmx.h"
#include "x86/cpu.h"

CONF_PAYLOAD_DECLARE(icpt_guest);
CONF_PAYLOAD_LABEL(icpt_guest, hlt);
CONF_PAYLOAD_LABEL(icpt_guest, out);
CONF_PAYLOAD_LABEL(icpt_guest, out_insn);
CONF_PAYLOAD_LABEL(icpt_guest, cpuid);
CONF_PAYLOAD_LABEL(icpt_guest, ud);

struct core_vmx {
	struct hv_guest guest;
	struct hv_vcpu vcpu;
};

static const char *need_vmx_backend(void)
{
	return conf_backend_unsupported(&vmx_vcpu_ops, NULL);
}

static uint64_t addr(const struct core_vmx *s, const uint8_t *label)
{
	return hv_guest_addr(&s->guest, (size_t)(label - icpt_guest_start));
}

/* A standalone vCPU of the VMX backend at the payload label `at`. */
static bool setup(struct conf_ctx *ctx, struct core_vmx *s, const uint8_t *at)
{
	struct hv_guest_config gc = {
		.payload = icpt_guest_start,
		.payload_len = (size_t)(icpt_guest_end - icpt_guest_start),
		.entry = (size_t)(at - icpt_guest_start),
		.common_handler = HV_GUEST_BUILTIN,
	};
	struct hv_vcpu_config vc = { .ops = &vmx_vcpu_ops };
	int rc;

	hv_memset(s, 0, sizeof(*s));
	if ((rc = hv_vmx_enable()) != HV_OK || (rc = hv_guest_build(&s->guest, &gc)) != HV_OK ||
	    (rc = hv_vcpu_create(&s->vcpu, &vc, &s->guest)) != HV_OK) {
		conf_error(ctx, "setting up the vCPU: %s", hv_strerror(rc));
		return false;
	}
	return true;
}

static bool run(struct conf_ctx *ctx, struct core_vmx *s, struct hv_exit *exit, uint32_t reason)
{
	if (hv_vcpu_run(&s->vcpu, exit) != HV_OK) {
		conf_error(ctx, "hv_vcpu_run refused the vCPU");
		return false;
	}
	if (exit->reason != reason) {
		conf_fail(ctx, "exit: got %s (exit reason %#llx), want %s",
			  hv_exit_reason_name(exit->reason), (unsigned long long)exit->raw.reason,
			  hv_exit_reason_name(reason));
		return false;
	}
	conf_count_check(ctx, "exit reason", true);
	return true;
}

/* VMMCALL under the core — Expect: HYPERCALL exit with RAX, RIP past the VMMCALL */
CONF_SCENARIO(vmx_core_hypercall_exit, "vmx core",
	      "Expect: a guest VMMCALL, a #UD on Intel processors, comes back from hv_vcpu_run as "
	      "HYPERCALL with nr = guest RAX, RIP advanced by its 3 bytes, the raw exit reason 0 "
	      "(exception or NMI) with the #UD in the exit interruption information",
	      "SDM vol. 3C §28.2.1 table 28-1, §28.2.2; SDM vol. 2 VMCALL", need_vmx_backend)
{
	struct core_vmx s;
	struct hv_exit exit;

	if (!setup(ctx, &s, icpt_guest_start) || !run(ctx, &s, &exit, HV_EXIT_HYPERCALL))
		return;
	conf_check_u64(ctx, "hypercall nr", exit.hypercall.nr, MARK_DONE);
	conf_check_exit(ctx, "exit reason", exit.raw.reason, VMX_EXIT_EXCEPTION_NMI);
	conf_check_u64(ctx, "RIP after the exit", hv_vcpu_get_rip(&s.vcpu), s.guest.entry + 5 + 3);
}

/* OUT under the core with the port's bit set — Expect: IO exit with port, size, data */
CONF_SCENARIO(vmx_core_io_exit, "vmx core",
	      "Expect: with port 80h's bit set in I/O bitmap A, OUT 80h comes back as IO (port "
	      "0x80, size 1, out, data 0x5a) with RIP past the OUT; the raw exit reason is 30 and "
	      "the qualification names port 80h; the guest then continues after it",
	      "SDM vol. 3C §25.6.4, §28.2.1 table 28-5", need_vmx_backend)
{
	struct core_vmx s;
	struct hv_exit exit;

	if (!setup(ctx, &s, icpt_guest_out))
		return;
	hv_vmx_io_intercept(&s.vcpu, 0x80, true);
	if (!run(ctx, &s, &exit, HV_EXIT_IO))
		return;
	conf_check_u64(ctx, "port", exit.io.port, 0x80);
	conf_check_u64(ctx, "size", exit.io.size, 1);
	conf_check_true(ctx, "direction out", !exit.io.in);
	conf_check_u64(ctx, "data", exit.io.data, 0x5a);
	conf_check_exit(ctx, "exit reason", exit.raw.reason, VMX_EXIT_IO_INSTRUCTION);
	conf_check_u64(ctx, "qualification port (bits 31:16)", exit.raw.info1 >> 16, 0x80);
	conf_check_u64(ctx, "RIP after the exit", hv_vcpu_get_rip(&s.vcpu),
		       addr(&s, icpt_guest_out_insn) + 2);
	if (run(ctx, &s, &exit, HV_EXIT_HYPERCALL))
		conf_check_u64(ctx, "guest continues after the OUT", exit.hypercall.nr, MARK_AFTER);
}

/* HLT under the core — Expect: HLT exit, mp_state HALTED, RUNNABLE again on the next run */
CONF_SCENARIO(vmx_core_hlt_exit, "vmx core",
	      "Expect: with HLT exiting, hv_vcpu_run returns HLT (raw exit reason 12) with "
	      "mp_state = HALTED (3); the next run makes it RUNNABLE (0) and continues after "
	      "the HLT",
	      "SDM vol. 3C §26.1.3, table 28-1; KVM_MP_STATE values", need_vmx_backend)
{
	struct core_vmx s;
	struct hv_exit exit;

	if (!setup(ctx, &s, icpt_guest_hlt) || !run(ctx, &s, &exit, HV_EXIT_HLT))
		return;
	conf_check_exit(ctx, "exit reason", exit.raw.reason, VMX_EXIT_HLT);
	conf_check_u64(ctx, "mp_state", s.vcpu.mp_state, HV_MP_STATE_HALTED);
	if (!run(ctx, &s, &exit, HV_EXIT_HYPERCALL))
		return;
	conf_check_u64(ctx, "mp_state", s.vcpu.mp_state, HV_MP_STATE_RUNNABLE);
	conf_check_u64(ctx, "guest continues after the HLT", exit.hypercall.nr, MARK_AFTER);
}

/* CPUID under the core — Expect: answered in the core, the guest gets the leaf */
CONF_SCENARIO(vmx_core_cpuid_handled, "vmx core",
	      "Expect: CPUID, which always exits in VMX non-root operation, is answered inside "
	      "hv_vcpu_run (no exit to the caller); the guest continues with leaf 0's EBX (the "
	      "vendor's first word)",
	      "SDM vol. 3C §26.1.2", need_vmx_backend)
{
	struct core_vmx s;
	struct hv_exit exit;
	struct arch_cpuid leaf0;

	if (!setup(ctx, &s, icpt_guest_cpuid) || !run(ctx, &s, &exit, HV_EXIT_HYPERCALL))
		return;
	arch_cpuid(0, 0, &leaf0);
	conf_check_u64(ctx, "guest continues after the CPUID", exit.hypercall.nr, MARK_AFTER);
	conf_check_u64(ctx, "guest EBX (vendor)", hv_vcpu_get_gpr(&s.vcpu, HV_GPR_RBX) & 0xffffffffu,
		       leaf0.ebx);
}

/* A guest #UD with no handler of its own — Expect: EXCEPTION exit from the stub */
CONF_SCENARIO(vmx_core_guest_exception_exit, "vmx core",
	      "Expect: a guest UD2, which the backend's #UD intercept gives back to the guest "
	      "(it is not VMMCALL), reaches the default IDT stub and comes back as EXCEPTION "
	      "(vector 6, RIP of the UD2)",
	      "SDM vol. 3C §25.6.3, §27.6; hv/guest.h", need_vmx_backend)
{
	struct core_vmx s;
	struct hv_exit exit;

	if (!setup(ctx, &s, icpt_guest_ud) || !run(ctx, &s, &exit, HV_EXIT_EXCEPTION))
		return;
	conf_check_u64(ctx, "source", exit.exception.source, HV_EXC_GUEST_STUB);
	conf_check_u64(ctx, "vector", exit.exception.vector, X86_VEC_UD);
	conf_check_u64(ctx, "RIP", exit.exception.rip, addr(&s, icpt_guest_ud));
}

/* A guest state VM entry refuses — Expect: FAIL_ENTRY with exit reason 33 | 80000000h */
CONF_SCENARIO(vmx_core_fail_entry, "vmx core",
	      "Expect: with the guest activity state 4 (not an activity state), hv_vcpu_run "
	      "returns FAIL_ENTRY with hardware_entry_failure_reason = 80000021h (VM-entry "
	      "failure, invalid guest state)",
	      "SDM vol. 3C §27.3.1.5, §27.8", need_vmx_backend)
{
	struct core_vmx s;
	struct hv_exit exit;

	if (!setup(ctx, &s, icpt_guest_start))
		return;
	if (!conf_check_u64(ctx, "VMWRITE GUEST_ACTIVITY_STATE = 4",
			    (uint64_t)(int64_t)hv_vmx_write(&s.vcpu, GUEST_ACTIVITY_STATE, 4), HV_OK))
		return;
	if (!run(ctx, &s, &exit, HV_EXIT_FAIL_ENTRY))
		return;
	conf_check_exit(ctx, "hardware_entry_failure_reason",
			exit.fail_entry.hardware_entry_failure_reason,
			VMX_EXIT_REASON_FAILED_VMENTRY | VMX_EXIT_INVALID_GUEST_STATE);
}
