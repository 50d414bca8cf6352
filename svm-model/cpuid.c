/* SPDX-License-Identifier: MIT */
/*
 * What a model processor reports through CPUID: an AMD64 processor with SVM
 * (APM vol. 3 appendix E), advertising exactly the SVM features the model
 * implements. vNMI and NRIPS follow the machine configuration, so the paths
 * that lack them can be tested on the same build.
 */
#include <string.h>

#include "svm-model/svm_model.h"
#include "x86/svm.h"

#define MODEL_MAXPHYADDR 40
#define MODEL_MAXLINADDR 48
#define MODEL_ASIDS 64

static void vendor(struct arch_cpuid *r)
{
	/* "AuthenticAMD" in EBX, EDX, ECX */
	r->ebx = 0x68747541u;
	r->edx = 0x69746e65u;
	r->ecx = 0x444d4163u;
}

void svm_model_cpuid(struct emu_cpu *cpu, uint32_t leaf, uint32_t subleaf, bool guest,
		     struct arch_cpuid *r)
{
	struct svm_cpu *s = svm_of(cpu);

	(void)subleaf;
	memset(r, 0, sizeof(*r));
	switch (leaf) {
	case 0x0:
		r->eax = 0x1;
		vendor(r);
		break;
	case 0x1:
		/* Family 17h; APIC ID in EBX[31:24]. */
		r->eax = 0x00800f12u;
		r->ebx = (cpu->index << 24) | (cpu->m->cfg.ncpus << 16) | 0x0800u;
		/* FPU TSC MSR PAE CX8 APIC SEP PGE CMOV PAT CLFSH MMX FXSR SSE SSE2 HTT */
		r->edx = 0x178bfbffu;
		/* SSE3, x2APIC (ECX[21]) and the TSC-deadline timer (ECX[24]): apic-model/. */
		r->ecx = 0x00000001u | (1u << 21) | (1u << 24);
		break;
	case 0x80000000u:
		r->eax = 0x8000000au;
		vendor(r);
		break;
	case 0x80000001u:
		/* LM, NX, SYSCALL; SVM only for the hypervisor (no nested SVM). */
		r->edx = (1u << 29) | (1u << 20) | (1u << 11);
		r->ecx = guest ? 0 : CPUID_80000001_ECX_SVM;
		break;
	case 0x80000008u:
		r->eax = MODEL_MAXPHYADDR | (MODEL_MAXLINADDR << 8);
		r->ecx = cpu->m->cfg.ncpus - 1;
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
