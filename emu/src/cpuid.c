/* SPDX-License-Identifier: MIT */
/*
 * What a model processor reports through CPUID: its vendor's personality
 * (APM vol. 3 appendix E; SDM vol. 2 "CPUID"), with what the local APIC
 * model implements, and then what its virtualization extension adds
 * (emu_vext.cpuid), which advertises exactly the features it models.
 */
#include <string.h>

#include "emu_internal.h"

#define MODEL_MAXPHYADDR 40
#define MODEL_MAXLINADDR 48

/* CPUID Fn0000_0001 ECX/EDX bits the model's processor has. */
#define CPUID_1_ECX_SSE3    (1u << 0)
#define CPUID_1_ECX_X2APIC  (1u << 21)
#define CPUID_1_ECX_TSC_DEADLINE (1u << 24)
/* FPU TSC MSR PAE CX8 APIC SEP PGE CMOV PAT CLFSH MMX FXSR SSE SSE2 HTT */
#define CPUID_1_EDX_MODEL   0x178bfbffu
/* Fn8000_0001 EDX: SYSCALL, NX, LM. */
#define CPUID_80000001_EDX_MODEL ((1u << 11) | (1u << 20) | (1u << 29))

static void vendor(struct arch_cpuid *r)
{
	/* "AuthenticAMD" in EBX, EDX, ECX */
	r->ebx = 0x68747541u;
	r->edx = 0x69746e65u;
	r->ecx = 0x444d4163u;
}

void emu_cpuid(struct emu_cpu *cpu, uint32_t leaf, uint32_t subleaf, bool guest,
	       struct arch_cpuid *r)
{
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
		r->edx = CPUID_1_EDX_MODEL;
		/* x2APIC and the TSC-deadline timer: the local APIC model. */
		r->ecx = CPUID_1_ECX_SSE3 | CPUID_1_ECX_X2APIC | CPUID_1_ECX_TSC_DEADLINE;
		break;
	case 0x80000000u:
		r->eax = 0x8000000au;
		vendor(r);
		break;
	case 0x80000001u:
		r->edx = CPUID_80000001_EDX_MODEL;
		break;
	case 0x80000008u:
		r->eax = MODEL_MAXPHYADDR | (MODEL_MAXLINADDR << 8);
		r->ecx = cpu->m->cfg.ncpus - 1;
		break;
	default:
		break;
	}
	cpu->m->vext->cpuid(cpu, leaf, subleaf, guest, r);
}
