/* SPDX-License-Identifier: MIT */
/*
 * World-switch benchmark of the SVM backend: VMRUN -> VMMCALL -> #VMEXIT,
 * n times, with the smallest guest there is. Used by the CLI's bench
 * command and the hardware image's bench mode, so both measure the same
 * thing.
 */
#include "hv/hv.h"

/* loop: vmmcall; jmp loop */
static const uint8_t bench_payload[] = { 0x0f, 0x01, 0xd9, 0xeb, 0xfb };

uint64_t hv_bench_roundtrips(uint64_t n)
{
	struct hv_guest_config gc = {
		.payload = bench_payload,
		.payload_len = sizeof(bench_payload),
		.entry = 0,
		.common_handler = HV_GUEST_BUILTIN,
	};
	struct hv_vcpu_config vc = { .use_vnmi = false };
	struct hv_guest guest;
	struct hv_vcpu vcpu;
	uint64_t done;

	if (hv_svm_enable() != HV_OK || hv_guest_build(&guest, &gc) != HV_OK ||
	    hv_vcpu_create(&vcpu, &vc, &guest) != HV_OK)
		return 0;
	for (done = 0; done < n; done++) {
		if (hv_vcpu_enter(&vcpu) != ARCH_OK ||
		    hv_svm_vmcb(&vcpu)->control.exit_code != SVM_EXIT_VMMCALL)
			break;
		/* Past the VMMCALL onto the JMP, which leads back to it. */
		hv_svm_vmcb(&vcpu)->save.rip = guest.entry + 3;
	}
	return done;
}
