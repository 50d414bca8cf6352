/* SPDX-License-Identifier: MIT */
/*
 * What SVM adds to CPUID (APM vol. 3 appendix E; vol. 2 §15.4): the SVM
 * bit for the hypervisor (there is no nested SVM) and Fn8000_000A,
 * advertising exactly the SVM features the model implements. vNMI, NRIPS,
 * nested paging and DecodeAssists follow the machine configuration, so
 * the paths that lack them can be tested on the same build.
 */
#include "svm-model/svm_model.h"
#include "x86/svm.h"

#define MODEL_ASIDS 64

void svm_model_cpuid(struct emu_cpu *cpu, uint32_t leaf, uint32_t subleaf, bool guest,
		     struct arch_cpuid *r)
{
	struct svm_cpu *s = svm_of(cpu);

	(void)subleaf;
	switch (leaf) {
	case 0x80000001u:
		r->ecx |= guest ? 0 : CPUID_80000001_ECX_SVM;
		break;
	case 0x8000000au:
		if (guest)
			break;
		r->eax = 1;
		r->ebx = MODEL_ASIDS;
		r->edx = (s->has_decode ? SVM_FEATURE_DECODEASSISTS : 0) |
			 (s->has_np ? SVM_FEATURE_NP : 0) |
			 (s->has_nrips ? SVM_FEATURE_NRIPS : 0) |
			 (s->has_vnmi ? SVM_FEATURE_VNMI : 0);
		break;
	default:
		break;
	}
}
