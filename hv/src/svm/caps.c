/* SPDX-License-Identifier: MIT */
/*
 * SVM discovery and per-processor enablement (APM vol. 2 §15.4 "Enabling
 * SVM"); the MSRs enablement writes (§15.30.1 VM_CR, §15.30.4 VM_HSAVE_PA)
 * are svm_cpu_enable's (ops.c).
 */
#include "vx/arch.h"
#include "hv/lib.h"
#include "hv/svm.h"
#include "svm_backend.h"
#include "x86/cpu.h"

void hv_svm_caps(struct hv_svm_caps *caps)
{
	struct arch_cpuid r;
	uint32_t max_ext;

	hv_memset(caps, 0, sizeof(*caps));
	caps->maxphyaddr = 36;
	arch_cpuid(0x80000000u, 0, &r);
	max_ext = r.eax;
	if (max_ext < 0x80000001u)
		return;
	arch_cpuid(0x80000001u, 0, &r);
	caps->svm = (r.ecx & CPUID_80000001_ECX_SVM) != 0;
	if (max_ext >= 0x80000008u) {
		arch_cpuid(0x80000008u, 0, &r);
		if (r.eax & 0xffu)
			caps->maxphyaddr = r.eax & 0xffu;
	}
	if (!caps->svm || max_ext < 0x8000000au)
		return;
	arch_cpuid(0x8000000au, 0, &r);
	caps->revision = r.eax & 0xffu;
	caps->nasids = r.ebx;
	caps->features = r.edx;
	caps->np = (r.edx & SVM_FEATURE_NP) != 0;
	caps->nrips = (r.edx & SVM_FEATURE_NRIPS) != 0;
	caps->vmcb_clean = (r.edx & SVM_FEATURE_VMCBCLEAN) != 0;
	caps->decode_assists = (r.edx & SVM_FEATURE_DECODEASSISTS) != 0;
	caps->vgif = (r.edx & SVM_FEATURE_VGIF) != 0;
	caps->vnmi = (r.edx & SVM_FEATURE_VNMI) != 0;
}

int hv_svm_enable(void)
{
	return svm_probe(NULL) ? svm_cpu_enable() : HV_ENOSVM;
}
