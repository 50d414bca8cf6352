/* SPDX-License-Identifier: MIT */
/*
 * The APIC's MSRs: IA32_APIC_BASE with the xAPIC/x2APIC/disabled state
 * machine (SDM vol. 3 §11.4.4, §11.12.1, §11.12.5), the x2APIC registers
 * at 800h + offset / 16 (§11.12.1.2) and IA32_TSC_DEADLINE (§11.5.4.1).
 * Host RDMSR/WRMSR and guest RDMSR/WRMSR that are not intercepted both
 * land here, on the processor's own APIC.
 */
#include "apic-model/apic_internal.h"
#include "x86/apic.h"
#include "x86/cpu.h"
#include "x86/msr.h"

/* MAXPHYADDR the model reports (CPUID Fn8000_0008 EAX[7:0]). */
#define APIC_MAXPHYADDR 40

/* Bits 7:0 and 9 are reserved, and so is everything from MAXPHYADDR up. */
#define APIC_BASE_RESERVED (0xffull | (1ull << 9) | ~((1ull << APIC_MAXPHYADDR) - 1))

bool apic_model_owns_msr(uint32_t msr)
{
	return msr == MSR_IA32_APIC_BASE || msr == MSR_IA32_TSC_DEADLINE ||
	       (msr >= APIC_X2APIC_MSR_FIRST && msr <= APIC_X2APIC_MSR_LAST);
}

static enum apic_mode mode_of(uint64_t base)
{
	if (!(base & MSR_APIC_BASE_EN))
		return APIC_MODE_DISABLED;
	return (base & MSR_APIC_BASE_EXTD) ? APIC_MODE_X2APIC : APIC_MODE_XAPIC;
}

static arch_fault_t write_base(struct emu_cpu *cpu, uint64_t v)
{
	struct apic_state *a = apic_of(cpu);
	enum apic_mode from = apic_mode(a), to = mode_of(v);

	if (v & APIC_BASE_RESERVED)
		return ARCH_FAULT(X86_VEC_GP);
	/* EXTD without EN is the invalid state (§11.12.1, table 11-5). */
	if ((v & MSR_APIC_BASE_EXTD) && !(v & MSR_APIC_BASE_EN))
		return ARCH_FAULT(X86_VEC_GP);
	/*
	 * §11.12.5 (figure 11-27): x2APIC is entered only from xAPIC and left
	 * only to disabled; x2APIC -> xAPIC and disabled -> x2APIC are #GP.
	 */
	if ((from == APIC_MODE_X2APIC && to == APIC_MODE_XAPIC) ||
	    (from == APIC_MODE_DISABLED && to == APIC_MODE_X2APIC))
		return ARCH_FAULT(X86_VEC_GP);
	a->base_msr = v;
	if (from != APIC_MODE_DISABLED && to == APIC_MODE_DISABLED) {
		/*
		 * A globally disabled APIC loses its state: re-enabled, it is in
		 * the power-up state (§11.4.3, §11.12.5.1).
		 */
		apic_reset_registers(cpu, false);
	} else if (from == APIC_MODE_XAPIC && to == APIC_MODE_X2APIC) {
		/* The x2APIC ID is the initial APIC ID; LDR follows from it (§11.12.10.2). */
		a->ldr = apic_x2apic_ldr(a->initial_id);
	}
	a->timer_gen++;
	apic_update_intr(cpu);
	return ARCH_OK;
}

arch_fault_t apic_model_rdmsr(struct emu_cpu *cpu, uint32_t msr, uint64_t *v)
{
	struct apic_state *a = apic_of(cpu);

	*v = 0;
	if (msr == MSR_IA32_APIC_BASE) {
		*v = a->base_msr;
		return ARCH_OK;
	}
	if (msr == MSR_IA32_TSC_DEADLINE) {
		*v = apic_timer_read_deadline_msr(cpu);
		return ARCH_OK;
	}
	/* The x2APIC MSRs exist only in x2APIC mode (§11.12.1.2). */
	if (!apic_model_owns_msr(msr) || apic_mode(a) != APIC_MODE_X2APIC)
		return ARCH_FAULT(X86_VEC_GP);
	if (apic_reg_read(cpu, (msr - APIC_X2APIC_MSR_FIRST) << 4, true, v) != 0) {
		*v = 0;
		return ARCH_FAULT(X86_VEC_GP);
	}
	return ARCH_OK;
}

arch_fault_t apic_model_wrmsr(struct emu_cpu *cpu, uint32_t msr, uint64_t v)
{
	struct apic_state *a = apic_of(cpu);

	if (msr == MSR_IA32_APIC_BASE)
		return write_base(cpu, v);
	if (msr == MSR_IA32_TSC_DEADLINE) {
		apic_timer_write_deadline_msr(cpu, v);
		return ARCH_OK;
	}
	if (!apic_model_owns_msr(msr) || apic_mode(a) != APIC_MODE_X2APIC)
		return ARCH_FAULT(X86_VEC_GP);
	if (apic_reg_write(cpu, (msr - APIC_X2APIC_MSR_FIRST) << 4, v, true) != 0)
		return ARCH_FAULT(X86_VEC_GP);
	return ARCH_OK;
}
