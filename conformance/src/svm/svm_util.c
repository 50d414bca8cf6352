/* SPDX-License-Identifier: MIT */
/* Helpers shared by the SVM scenarios (see svm_util.h). */
#include "svm_util.h"

#include "x86/msr.h"

bool conf_svm_setup(struct conf_ctx *ctx, struct conf_svm *s, struct conf_payload p,
		    bool use_vnmi)
{
	struct hv_guest_config gc = {
		.payload = p.start,
		.payload_len = (size_t)(p.end - p.start),
		.entry = (size_t)(p.entry - p.start),
		.common_handler = HV_GUEST_BUILTIN,
	};
	struct hv_vcpu_config vc = { .use_vnmi = use_vnmi };
	int rc;

	hv_memset(s, 0, sizeof(*s));
	hv_svm_caps(&s->caps);
	s->payload = p;
	rc = hv_svm_enable();
	if (rc) {
		conf_error(ctx, "hv_svm_enable: %s", hv_strerror(rc));
		return false;
	}
	rc = hv_guest_build(&s->guest, &gc);
	if (rc) {
		conf_error(ctx, "hv_guest_build: %s", hv_strerror(rc));
		return false;
	}
	rc = hv_vcpu_create(&s->vcpu, &vc, &s->guest);
	if (rc) {
		conf_error(ctx, "hv_vcpu_create: %s", hv_strerror(rc));
		return false;
	}
	s->vmcb = hv_svm_vmcb(&s->vcpu);
	return true;
}

uint64_t conf_svm_addr(const struct conf_svm *s, const uint8_t *label)
{
	return hv_guest_addr(&s->guest, (size_t)(label - s->payload.start));
}

void *conf_svm_ptr(const struct conf_svm *s, const uint8_t *label)
{
	return hv_guest_ptr(&s->guest, conf_svm_addr(s, label));
}

void conf_svm_start_at(struct conf_svm *s, const uint8_t *label)
{
	s->vmcb->save.rip = conf_svm_addr(s, label);
}

conf_outcome_t conf_svm_vmrun(struct conf_svm *s)
{
	s->fault = hv_vcpu_enter(&s->vcpu);
	return conf_outcome_vmrun(s->fault, s->vmcb->control.exit_code);
}

bool conf_svm_run_expect(struct conf_ctx *ctx, struct conf_svm *s, uint64_t code,
			 const char *what)
{
	return conf_check_outcome(ctx, what, conf_svm_vmrun(s), CONF_OUT_VMEXIT(code));
}

void conf_svm_skip(struct conf_svm *s, unsigned len)
{
	s->vmcb->save.rip += len;
}

#define VMMCALL_LEN 3u

bool conf_svm_run_to_mark(struct conf_ctx *ctx, struct conf_svm *s, uint32_t mark,
			  const char *what)
{
	if (!conf_svm_run_expect(ctx, s, SVM_EXIT_VMMCALL, what))
		return false;
	if (!conf_check_u64(ctx, "guest RAX (where the guest stopped)", s->vmcb->save.rax, mark))
		return false;
	conf_svm_skip(s, VMMCALL_LEN);
	s->vmcb->control.event_inj = 0;
	return true;
}

bool conf_svm_core_run_to(struct conf_ctx *ctx, struct conf_svm *s, uint32_t mark,
			  const char *what)
{
	struct hv_exit exit;

	if (hv_vcpu_run(&s->vcpu, &exit) != HV_OK) {
		conf_error(ctx, "hv_vcpu_run refused the vCPU");
		return false;
	}
	if (exit.reason != HV_EXIT_HYPERCALL) {
		conf_fail(ctx, "%s: got exit %s (exit_code 0x%llx %s), want HYPERCALL", what,
			  hv_exit_reason_name(exit.reason), (unsigned long long)exit.raw.reason,
			  svm_exit_name(exit.raw.reason));
		return false;
	}
	return conf_check_u64(ctx, what, exit.hypercall.nr, mark);
}

bool conf_svm_stub_frame(struct conf_svm *s, uint8_t *vector, struct hv_guest_frame *f)
{
	const struct vmcb_save_area *save = &s->vmcb->save;

	return hv_guest_stub_hit(&s->guest, save->rip, save->rax, save->rsp, vector, f);
}

void conf_svm_iret_frame(struct conf_svm *s, unsigned pushed, struct conf_iret_frame *f)
{
	uint64_t rsp = s->vmcb->save.rsp + 8ull * pushed;

	hv_memset(f, 0, sizeof(*f));
	/* Only read a frame that lies on the guest's own stack. */
	if (rsp >= s->guest.stack_base && rsp + sizeof(*f) <= s->guest.stack_top)
		hv_memcpy(f, hv_guest_ptr(&s->guest, rsp), sizeof(*f));
}

const char *conf_svm_unsupported(void)
{
	struct hv_svm_caps caps;
	uint64_t vm_cr = 0;

	hv_svm_caps(&caps);
	if (!caps.svm)
		return "CPUID Fn8000_0001 ECX[2] (SVM) = 0";
	if (arch_rdmsr(MSR_VM_CR, &vm_cr) == ARCH_OK && (vm_cr & MSR_VM_CR_SVMDIS))
		return "MSR VM_CR[4] (SVMDIS) = 1: SVM disabled by firmware";
	return NULL;
}

const char *conf_vnmi_unsupported(void)
{
	const char *why = conf_svm_unsupported();
	struct hv_svm_caps caps;

	if (why)
		return why;
	hv_svm_caps(&caps);
	return caps.vnmi ? NULL : "CPUID Fn8000_000A EDX[25] (VNMI) = 0";
}

const char *conf_npt_unsupported(void)
{
	const char *why = conf_svm_unsupported();
	struct hv_svm_caps caps;

	if (why)
		return why;
	hv_svm_caps(&caps);
	return caps.np ? NULL : "CPUID Fn8000_000A EDX[0] (NP) = 0";
}

const char *conf_nrips_unsupported(void)
{
	const char *why = conf_svm_unsupported();
	struct hv_svm_caps caps;

	if (why)
		return why;
	hv_svm_caps(&caps);
	return caps.nrips ? NULL : "CPUID Fn8000_000A EDX[3] (NRIPS) = 0";
}
