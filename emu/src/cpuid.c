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

static bool intel(const struct emu_cpu *cpu)
{
	return cpu->m->cfg.vendor == EMU_VENDOR_INTEL;
}

/* The vendor string in EBX, EDX, ECX: "GenuineIntel" or "AuthenticAMD". */
static void vendor(const struct emu_cpu *cpu, struct arch_cpuid *r)
{
	if (intel(cpu)) {
		r->ebx = 0x756e6547u;
		r->edx = 0x49656e69u;
		r->ecx = 0x6c65746eu;
		return;
	}
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
		vendor(cpu, r);
		break;
	case 0x1:
		/* AMD family 17h, or Intel family 6 model 55h (Skylake server);
		 * the APIC ID in EBX[31:24]. */
		r->eax = intel(cpu) ? 0x00050654u : 0x00800f12u;
		r->ebx = (cpu->index << 24) | (cpu->m->cfg.ncpus << 16) | 0x0800u;
		r->edx = CPUID_1_EDX_MODEL;
		/* x2APIC and the TSC-deadline timer: the local APIC model. */
		r->ecx = CPUID_1_ECX_SSE3 | CPUID_1_ECX_X2APIC | CPUID_1_ECX_TSC_DEADLINE;
		break;
	case 0x80000000u:
		/* Intel reports no vendor string in the extended range. */
		if (intel(cpu)) {
			r->eax = 0x80000008u;
		} else {
			r->eax = 0x8000000au;
			vendor(cpu, r);
		}
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
