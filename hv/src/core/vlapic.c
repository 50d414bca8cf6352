/* SPDX-License-Identifier: MIT */
/*
 * The virtual x2APIC (see hv/vlapic.h): its registers as MSRs (SDM vol. 3
 * §10.12.1.2, table 10-6), interrupt priority (§10.8.3.1) and the ICR
 * (§10.12.9), whose IPIs reach the other vCPUs of the VM through mp.c.
 */
#include "hv/arch.h"
#include "hv/event.h"
#include "hv/vcpu.h"
#include "hv/vlapic.h"
#include "hv/vm.h"
#include "mp.h"
#include "x86/apic.h"
#include "x86/msr.h"

/* Version 0x14, six LVT entries (max LVT index 5): what KVM reports. */
#define VLAPIC_VERSION (0x14u | (5u << 16))
#define LVT_MASKED (1u << 16)
/* x2APIC ICR bits that must be zero on WRMSR (§10.12.9): busy, 13, 16-17, 20-31. */
#define ICR_RESERVED 0xfff33000ull
#define APIC_BASE_ADDR_MASK 0x000ffffffffff000ull

static uint32_t msr_of(uint32_t offset)
{
	return APIC_X2APIC_MSR(offset);
}

/* LVT registers in the order of struct hv_vlapic.lvt. */
static int lvt_index(uint32_t msr)
{
	if (msr == msr_of(APIC_LVT_CMCI))
		return 0;
	if (msr >= msr_of(APIC_LVT_TIMER) && msr <= msr_of(APIC_LVT_ERROR))
		return (int)(msr - msr_of(APIC_LVT_TIMER)) + 1;
	return -1;
}

/* x2APIC logical ID: cluster in 31:16, one bit of 16 in 15:0 (§10.12.10.2). */
static uint32_t ldr_of(uint32_t id)
{
	return ((id >> 4) << 16) | (1u << (id & 0xf));
}

void hv_vlapic_reset(struct hv_vcpu *vcpu, bool power_on)
{
	struct hv_vlapic *a = &vcpu->apic;

	if (power_on) {
		a->id = vcpu->id;
		a->apic_base = APIC_DEFAULT_BASE | MSR_APIC_BASE_EN | MSR_APIC_BASE_EXTD |
			       (vcpu->id == 0 ? MSR_APIC_BASE_BSP : 0);
	}
	a->tpr = 0;
	a->svr = 0xff; /* software-disabled, spurious vector FFh (§10.4.7.1) */
	a->esr = 0;
	a->icr = 0;
	for (unsigned i = 0; i < 7; i++)
		a->lvt[i] = LVT_MASKED;
	for (unsigned i = 0; i < 8; i++) {
		a->isr[i] = 0;
		__atomic_store_n(&a->irr[i], 0, __ATOMIC_RELAXED);
	}
	a->virq_vector = -1;
}

static int highest_bit(const uint32_t *reg)
{
	for (int i = 7; i >= 0; i--) {
		uint32_t w = __atomic_load_n(&reg[i], __ATOMIC_ACQUIRE);

		if (w)
			return i * 32 + 31 - __builtin_clz(w);
	}
	return -1;
}

static uint32_t ppr(const struct hv_vlapic *a)
{
	int isr = highest_bit(a->isr);
	uint32_t isrv = isr < 0 ? 0 : (uint32_t)isr & 0xf0u;

	return (a->tpr & 0xf0u) >= isrv ? a->tpr & 0xffu : isrv;
}

void hv_vlapic_set_irr(struct hv_vcpu *vcpu, uint8_t vector)
{
	__atomic_fetch_or(&vcpu->apic.irr[vector / 32], 1u << (vector % 32), __ATOMIC_RELEASE);
}

int hv_vlapic_deliverable(struct hv_vcpu *vcpu)
{
	struct hv_vlapic *a = &vcpu->apic;
	int v = highest_bit(a->irr);

	/* A software-disabled APIC delivers no fixed interrupt (§10.4.7.2). */
	if (v < 0 || !(a->svr & APIC_SVR_ENABLE))
		return -1;
	return ((uint32_t)v & 0xf0u) > (ppr(a) & 0xf0u) ? v : -1;
}

void hv_vlapic_sync_after_exit(struct hv_vcpu *vcpu)
{
	struct hv_vlapic *a = &vcpu->apic;
	int v = a->virq_vector;

	if (v < 0)
		return;
	a->virq_vector = -1;
	/* V_IRQ cleared by the processor: the guest took it (APM §15.21.4). */
	if (vcpu->ops->irq_request_pending(vcpu))
		return;
	__atomic_fetch_and(&a->irr[v / 32], ~(1u << (v % 32)), __ATOMIC_ACQ_REL);
	a->isr[v / 32] |= 1u << (v % 32);
}

void hv_vlapic_prepare_entry(struct hv_vcpu *vcpu)
{
	int v = hv_vlapic_deliverable(vcpu);

	vcpu->apic.virq_vector = v;
	vcpu->ops->set_irq_request(vcpu, v);
}

bool hv_vlapic_owns_msr(uint32_t msr)
{
	return msr == MSR_IA32_APIC_BASE ||
	       (msr >= APIC_X2APIC_MSR_FIRST && msr <= APIC_X2APIC_MSR_LAST);
}

static bool targets(const struct hv_vcpu *self, const struct hv_vcpu *t, uint64_t icr)
{
	uint32_t dest = (uint32_t)(icr >> 32);

	switch ((uint32_t)icr & APIC_DEST_ALLBUT) {
	case APIC_DEST_SELF:
		return t == self;
	case APIC_DEST_ALLINC:
		return true;
	case APIC_DEST_ALLBUT:
		return t != self;
	}
	if (dest == APIC_X2APIC_BROADCAST)
		return true;
	if (icr & APIC_DEST_LOGICAL) {
		uint32_t ldr = ldr_of(t->apic.id);

		return (dest >> 16) == (ldr >> 16) && (dest & ldr & 0xffffu) != 0;
	}
	return dest == t->apic.id;
}

static void send_ipi(struct hv_vcpu *vcpu, uint64_t icr)
{
	struct hv_vm *vm = vcpu->vm;
	uint32_t dm = (uint32_t)icr & APIC_DM_MASK;
	uint8_t vector = (uint8_t)icr;
	struct hv_event ev = { .type = HV_EV_IPI, .a = icr >> 32, .b = (uint32_t)icr,
			       .text = "hv: x2APIC ICR" };

	arch_event(&ev);
	/* Level de-assert INIT: ignored by every current APIC (facts §(e)). */
	if (dm == APIC_DM_INIT && (icr & APIC_INT_LEVELTRIG) && !(icr & APIC_INT_ASSERT))
		return;
	/* Vectors 0-15 are illegal for fixed interrupts (§10.5.3). */
	if ((dm == APIC_DM_FIXED || dm == APIC_DM_LOWEST) && vector < 16) {
		vcpu->apic.esr |= APIC_ESR_SEND_ILLEGAL_VECTOR;
		return;
	}
	for (uint32_t i = 0; vm && i < vm->nr_vcpus; i++) {
		struct hv_vcpu *t = vm->vcpus[i];

		if (!targets(vcpu, t, icr))
			continue;
		hv_mp_deliver(t, dm, vector);
		/* Lowest priority: every vCPU has the same priority; the first wins. */
		if (dm == APIC_DM_LOWEST)
			break;
	}
}

bool hv_vlapic_rdmsr(struct hv_vcpu *vcpu, uint32_t msr, uint64_t *value)
{
	struct hv_vlapic *a = &vcpu->apic;
	int lvt = lvt_index(msr);

	if (msr == MSR_IA32_APIC_BASE) {
		*value = a->apic_base;
		return true;
	}
	if (lvt >= 0) {
		*value = a->lvt[lvt];
		return true;
	}
	if (msr >= msr_of(APIC_ISR) && msr < msr_of(APIC_ISR) + 8) {
		*value = a->isr[msr - msr_of(APIC_ISR)];
		return true;
	}
	if (msr >= msr_of(APIC_TMR) && msr < msr_of(APIC_TMR) + 8) {
		*value = 0; /* IPIs are edge-triggered */
		return true;
	}
	if (msr >= msr_of(APIC_IRR) && msr < msr_of(APIC_IRR) + 8) {
		*value = __atomic_load_n(&a->irr[msr - msr_of(APIC_IRR)], __ATOMIC_ACQUIRE);
		return true;
	}
	switch (msr) {
	case 0x802: /* ID */
		*value = a->id;
		return true;
	case 0x803: /* version */
		*value = VLAPIC_VERSION;
		return true;
	case 0x808: /* TPR */
		*value = a->tpr;
		return true;
	case 0x80a: /* PPR */
		*value = ppr(a);
		return true;
	case 0x80d: /* LDR */
		*value = ldr_of(a->id);
		return true;
	case 0x80f: /* SVR */
		*value = a->svr;
		return true;
	case 0x828: /* ESR */
		*value = a->esr;
		return true;
	case 0x830: /* ICR, 64 bits */
		*value = a->icr;
		return true;
	}
	/* EOI and SELF_IPI are write-only; the rest is not implemented. */
	return false;
}

bool hv_vlapic_wrmsr(struct hv_vcpu *vcpu, uint32_t msr, uint64_t value)
{
	struct hv_vlapic *a = &vcpu->apic;
	int lvt = lvt_index(msr);
	int v;

	if (msr == MSR_IA32_APIC_BASE) {
		/* Only the base address may move; leaving x2APIC mode is refused. */
		if ((value & ~APIC_BASE_ADDR_MASK) != (a->apic_base & ~APIC_BASE_ADDR_MASK))
			return false;
		a->apic_base = value;
		return true;
	}
	/* x2APIC registers are 32 bits but the ICR (§10.12.1.2): high bits #GP. */
	if (msr != msr_of(APIC_ICR_LOW) && (value >> 32))
		return false;
	if (lvt >= 0) {
		a->lvt[lvt] = (uint32_t)value;
		return true;
	}
	switch (msr) {
	case 0x808: /* TPR */
		if (value & ~0xffull)
			return false;
		a->tpr = (uint32_t)value;
		return true;
	case 0x80b: /* EOI: a non-zero value is #GP in x2APIC mode (§10.12.1.2) */
		if (value)
			return false;
		v = highest_bit(a->isr);
		if (v >= 0)
			a->isr[v / 32] &= ~(1u << (v % 32));
		return true;
	case 0x80f: /* SVR: bits 7:0, 8, 9 */
		if (value & ~0x3ffull)
			return false;
		a->svr = (uint32_t)value;
		return true;
	case 0x828: /* ESR: written with 0 to clear it */
		if (value)
			return false;
		a->esr = 0;
		return true;
	case 0x830: /* ICR */
		if (value & ICR_RESERVED)
			return false;
		a->icr = value;
		send_ipi(vcpu, value);
		return true;
	case 0x83f: /* SELF_IPI: vector in 7:0 */
		if (value & ~0xffull)
			return false;
		send_ipi(vcpu, APIC_DEST_SELF | APIC_DM_FIXED | (uint32_t)value);
		return true;
	}
	return false;
}
