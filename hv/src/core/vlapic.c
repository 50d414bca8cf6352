/* SPDX-License-Identifier: MIT */
/*
 * The virtual local APIC (see hv/vlapic.h): one register file (SDM vol. 3
 * §10.4-§10.8, the x2APIC differences of §10.12), its modes and
 * IA32_APIC_BASE (§10.12.5), the MSR interface (§10.12.1.2, table 10-6),
 * interrupt priority (§10.8.3.1) and the ICR (§10.6.1, §10.12.9), whose
 * IPIs go out on the APIC's bus (for a VM's vCPUs, mp.c). The xAPIC page
 * is vlapic_mmio.c. A leaf: nothing here reaches a vCPU, a VM or a backend.
 */
#include "vx/arch.h"
#include "vx/event.h"
#include "hv/vlapic.h"
#include "vlapic_reg.h"
#include "x86/apic.h"
#include "x86/msr.h"

/* Version 0x14, six LVT entries (max LVT index 5): what KVM reports. */
#define VLAPIC_VERSION (0x14u | (5u << 16))
#define LVT_MASKED (1u << 16)
/* ICR low bits that are reserved or read-only (§10.6.1, §10.12.9): busy, 13, 16-17, 20-31. */
#define ICR_RESERVED 0xfff33000ull
#define APIC_BASE_ADDR_MASK 0x000ffffffffff000ull
/* IA32_APIC_BASE bits 7:0 and 9 are reserved (§10.4.4, figure 10-5). */
#define APIC_BASE_RESERVED 0x2ffull
/* xAPIC registers (§10.6.2.2, §10.6.2.3, §10.8.3.1, §10.9). */
#define XAPIC_ID_SHIFT 24
#define XAPIC_LDR_MASK 0xff000000u
#define XAPIC_DFR_MODEL 0xf0000000u
#define XAPIC_ICR2_DEST 0xff000000u
#define TPR_MASK 0xffu
#define SVR_MASK 0x3ffu

enum vlapic_mode hv_vlapic_mode(uint64_t apic_base)
{
	bool en = (apic_base & MSR_APIC_BASE_EN) != 0, extd = (apic_base & MSR_APIC_BASE_EXTD) != 0;

	if (!en)
		return extd ? VLAPIC_INVALID : VLAPIC_DISABLED;
	return extd ? VLAPIC_X2APIC : VLAPIC_XAPIC;
}

/* LVT registers in the order of struct hv_vlapic.lvt, by xAPIC offset. */
static int lvt_index(uint32_t offset)
{
	if (offset == APIC_LVT_CMCI)
		return 0;
	if (offset >= APIC_LVT_TIMER && offset <= APIC_LVT_ERROR)
		return (int)((offset - APIC_LVT_TIMER) >> 4) + 1;
	return -1;
}

/* x2APIC logical ID: cluster in 31:16, one bit of 16 in 15:0 (§10.12.10.2). */
static uint32_t ldr_of(uint32_t id)
{
	return ((id >> 4) << 16) | (1u << (id & 0xf));
}

void hv_vlapic_init(struct hv_vlapic *a, uint32_t index, bool xapic_page,
		    const struct hv_vlapic_bus *bus, void *bus_ctx)
{
	a->index = index;
	a->xapic_page = xapic_page;
	a->bus = bus;
	a->bus_ctx = bus_ctx;
	hv_vlapic_reset(a, true);
}

void hv_vlapic_reset(struct hv_vlapic *a, bool power_on)
{
	if (power_on) {
		a->id = a->index;
		a->apic_base = APIC_DEFAULT_BASE | MSR_APIC_BASE_EN |
			       (a->xapic_page ? 0 : MSR_APIC_BASE_EXTD) |
			       (a->index == 0 ? MSR_APIC_BASE_BSP : 0);
	}
	/* The power-up state of §10.4.7.1. */
	a->tpr = 0;
	a->svr = 0xff; /* software-disabled, spurious vector FFh */
	a->esr = 0;
	a->esr_pending = 0;
	a->ldr = 0;
	a->dfr = 0xffffffffu; /* flat model */
	a->icr = 0;
	for (unsigned i = 0; i < 7; i++)
		a->lvt[i] = LVT_MASKED;
	a->tsc_deadline = 0;
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

void hv_vlapic_set_irr(struct hv_vlapic *a, uint8_t vector)
{
	__atomic_fetch_or(&a->irr[vector / 32], 1u << (vector % 32), __ATOMIC_RELEASE);
}

int hv_vlapic_deliverable(struct hv_vlapic *a)
{
	int v = highest_bit(a->irr);

	/* A software-disabled APIC delivers no fixed interrupt (§10.4.7.2). */
	if (v < 0 || !(a->svr & APIC_SVR_ENABLE))
		return -1;
	return ((uint32_t)v & 0xf0u) > (ppr(a) & 0xf0u) ? v : -1;
}

void hv_vlapic_sync_after_exit(struct hv_vlapic *a, bool still_requested)
{
	int v = a->virq_vector;

	if (v < 0)
		return;
	a->virq_vector = -1;
	/* The request cleared by the processor (SVM: V_IRQ, §15.21.4): the guest took it. */
	if (still_requested)
		return;
	__atomic_fetch_and(&a->irr[v / 32], ~(1u << (v % 32)), __ATOMIC_ACQ_REL);
	a->isr[v / 32] |= 1u << (v % 32);
}

int hv_vlapic_prepare_entry(struct hv_vlapic *a)
{
	int v = hv_vlapic_deliverable(a);

	a->virq_vector = v;
	return v;
}

bool hv_vlapic_owns_msr(uint32_t msr)
{
	return msr == MSR_IA32_APIC_BASE || msr == MSR_IA32_TSC_DEADLINE ||
	       (msr >= APIC_X2APIC_MSR_FIRST && msr <= APIC_X2APIC_MSR_LAST);
}

void hv_vlapic_error(struct hv_vlapic *a, uint32_t esr_bits)
{
	a->esr_pending |= esr_bits;
}

/* xAPIC logical destination: flat or cluster model by DFR (§10.6.2.2). */
static bool xapic_logical_match(uint32_t dest, const struct hv_vlapic *t)
{
	uint32_t ldr = t->ldr >> XAPIC_ID_SHIFT;

	if ((t->dfr & XAPIC_DFR_MODEL) == XAPIC_DFR_MODEL)
		return (dest & ldr) != 0;
	/* Cluster: 7:4 the cluster (Fh all), 3:0 one bit per APIC in it. */
	return ((dest >> 4) == 0xfu || (dest >> 4) == (ldr >> 4)) && (dest & ldr & 0xfu) != 0;
}

/*
 * Is t a destination of an IPI from self? The destination is read in the
 * sender's mode (x2: 32-bit, else ICR2[31:24]); a logical destination
 * reaches only APICs in that same mode, whose LDR has the same format.
 */
static bool targets(const struct hv_vlapic *self, const struct hv_vlapic *t, uint32_t dest,
		    uint32_t low, bool x2)
{
	enum vlapic_mode tm = hv_vlapic_mode(t->apic_base);

	/* A globally disabled APIC receives nothing (§10.4.3). */
	if (tm == VLAPIC_DISABLED)
		return false;
	switch (low & APIC_DEST_SHORTHAND_MASK) {
	case APIC_DEST_SELF:
		return t == self;
	case APIC_DEST_ALLINC:
		return true;
	case APIC_DEST_ALLBUT:
		return t != self;
	}
	if (x2) {
		if (dest == APIC_X2APIC_BROADCAST)
			return true;
		if (low & APIC_DEST_LOGICAL) {
			uint32_t ldr = ldr_of(t->id);

			return tm == VLAPIC_X2APIC && (dest >> 16) == (ldr >> 16) &&
			       (dest & ldr & 0xffffu) != 0;
		}
		return dest == t->id;
	}
	dest &= 0xffu;
	if (low & APIC_DEST_LOGICAL)
		return tm == VLAPIC_XAPIC && xapic_logical_match(dest, t);
	return dest == APIC_XAPIC_BROADCAST || dest == t->id;
}

/* Every APIC on the bus that the IPI targets gets it, in bus order. */
static void send_ipi(struct hv_vlapic *a, uint32_t dest, uint32_t low, bool x2)
{
	const struct hv_vlapic_bus *bus = a->bus;
	uint32_t dm = low & APIC_DM_MASK;
	uint8_t vector = (uint8_t)low;
	struct hv_event ev = { .type = HV_EV_IPI, .source = HV_SRC_CORE, .v = { dest, low },
			       .text = x2 ? "hv: x2APIC ICR" : "hv: xAPIC ICR" };

	arch_event(&ev);
	/* Level de-assert INIT: ignored by every current APIC (facts §(e)). */
	if (dm == APIC_DM_INIT && (low & APIC_INT_LEVELTRIG) && !(low & APIC_INT_ASSERT))
		return;
	/* Vectors 0-15 are illegal for fixed interrupts (§10.5.3). */
	if ((dm == APIC_DM_FIXED || dm == APIC_DM_LOWEST) && vector < 16) {
		hv_vlapic_error(a, APIC_ESR_SEND_ILLEGAL_VECTOR);
		return;
	}
	for (uint32_t i = 0; bus; i++) {
		struct hv_vlapic *t = bus->apic(a->bus_ctx, i);

		if (!t)
			break;
		if (!targets(a, t, dest, low, x2))
			continue;
		bus->deliver(a->bus_ctx, i, dm, vector);
		/* Lowest priority: every vCPU has the same priority; the first wins. */
		if (dm == APIC_DM_LOWEST)
			break;
	}
}

static void eoi(struct hv_vlapic *a)
{
	int v = highest_bit(a->isr);

	if (v >= 0)
		a->isr[v / 32] &= ~(1u << (v % 32));
}

/* Offsets of the eight registers of ISR, TMR or IRR starting at base. */
static int vector_reg(uint32_t offset, uint32_t base)
{
	return offset >= base && offset < base + 0x80u ? (int)((offset - base) >> 4) : -1;
}

enum vlapic_result hv_vlapic_reg_read(struct hv_vlapic *a, uint32_t offset, uint64_t *value)
{
	bool x2 = hv_vlapic_mode(a->apic_base) == VLAPIC_X2APIC;
	int lvt = lvt_index(offset), i;

	if (offset & 0xfu)
		return VLAPIC_ABSENT;
	if (lvt >= 0) {
		*value = a->lvt[lvt];
		return VLAPIC_OK;
	}
	if ((i = vector_reg(offset, APIC_ISR)) >= 0) {
		*value = a->isr[i];
		return VLAPIC_OK;
	}
	if (vector_reg(offset, APIC_TMR) >= 0) {
		*value = 0; /* IPIs are edge-triggered */
		return VLAPIC_OK;
	}
	if ((i = vector_reg(offset, APIC_IRR)) >= 0) {
		*value = __atomic_load_n(&a->irr[i], __ATOMIC_ACQUIRE);
		return VLAPIC_OK;
	}
	switch (offset) {
	case APIC_ID:
		*value = x2 ? a->id : a->id << XAPIC_ID_SHIFT;
		return VLAPIC_OK;
	case APIC_VERSION:
		*value = VLAPIC_VERSION;
		return VLAPIC_OK;
	case APIC_TPR:
		*value = a->tpr;
		return VLAPIC_OK;
	case APIC_APR:
	case APIC_RRD:
		/* xAPIC only; no bus arbitration and no remote read here. */
		if (x2)
			return VLAPIC_ABSENT;
		*value = 0;
		return VLAPIC_OK;
	case APIC_PPR:
		*value = ppr(a);
		return VLAPIC_OK;
	case APIC_EOI:
		return VLAPIC_REFUSED; /* write-only */
	case APIC_LDR:
		*value = x2 ? ldr_of(a->id) : a->ldr;
		return VLAPIC_OK;
	case APIC_DFR:
		if (x2)
			return VLAPIC_ABSENT;
		*value = a->dfr;
		return VLAPIC_OK;
	case APIC_SVR:
		*value = a->svr;
		return VLAPIC_OK;
	case APIC_ESR:
		*value = a->esr;
		return VLAPIC_OK;
	case APIC_ICR_LOW:
		/* Delivery is immediate: the status bit (12) always reads idle. */
		*value = x2 ? a->icr : (uint32_t)a->icr;
		return VLAPIC_OK;
	case APIC_ICR_HIGH:
		if (x2)
			return VLAPIC_ABSENT;
		*value = a->icr >> 32;
		return VLAPIC_OK;
	case APIC_TIMER_ICR:
	case APIC_TIMER_CCR:
	case APIC_TIMER_DCR:
		return VLAPIC_MISSING;
	case APIC_SELF_IPI:
		return x2 ? VLAPIC_REFUSED : VLAPIC_ABSENT;
	}
	return VLAPIC_ABSENT;
}

enum vlapic_result hv_vlapic_reg_write(struct hv_vlapic *a, uint32_t offset, uint64_t value)
{
	bool x2 = hv_vlapic_mode(a->apic_base) == VLAPIC_X2APIC;
	int lvt = lvt_index(offset);

	if (offset & 0xfu)
		return VLAPIC_ABSENT;
	/* x2APIC registers are 32 bits but the ICR (§10.12.1.2): high bits #GP. */
	if (x2 && offset != APIC_ICR_LOW && (value >> 32))
		return VLAPIC_REFUSED;
	if (lvt == HV_VLAPIC_LVT_TIMER) {
		hv_vlapic_write_lvt_timer(a, (uint32_t)value);
		return VLAPIC_OK;
	}
	if (lvt >= 0) {
		a->lvt[lvt] = (uint32_t)value;
		return VLAPIC_OK;
	}
	if (vector_reg(offset, APIC_ISR) >= 0 || vector_reg(offset, APIC_TMR) >= 0 ||
	    vector_reg(offset, APIC_IRR) >= 0)
		return VLAPIC_REFUSED;
	switch (offset) {
	case APIC_ID:
		/* Read-only in x2APIC mode; bits 31:24 in xAPIC mode. */
		if (x2)
			return VLAPIC_REFUSED;
		a->id = (uint32_t)value >> XAPIC_ID_SHIFT;
		return VLAPIC_OK;
	case APIC_VERSION:
	case APIC_PPR:
		return VLAPIC_REFUSED;
	case APIC_APR:
	case APIC_RRD:
		return x2 ? VLAPIC_ABSENT : VLAPIC_REFUSED;
	case APIC_TPR:
		if (x2 && (value & ~(uint64_t)TPR_MASK))
			return VLAPIC_REFUSED;
		a->tpr = (uint32_t)value & TPR_MASK;
		return VLAPIC_OK;
	case APIC_EOI:
		/* Any value in xAPIC mode; only 0 in x2APIC mode (§10.8.5, §10.12.1.2). */
		if (x2 && value)
			return VLAPIC_REFUSED;
		eoi(a);
		return VLAPIC_OK;
	case APIC_LDR:
		if (x2)
			return VLAPIC_REFUSED;
		a->ldr = (uint32_t)value & XAPIC_LDR_MASK;
		return VLAPIC_OK;
	case APIC_DFR:
		if (x2)
			return VLAPIC_ABSENT;
		/* Bits 27:0 are reserved and read as ones (§10.6.2.2). */
		a->dfr = ((uint32_t)value & XAPIC_DFR_MODEL) | ~XAPIC_DFR_MODEL;
		return VLAPIC_OK;
	case APIC_SVR:
		if (x2 && (value & ~(uint64_t)SVR_MASK))
			return VLAPIC_REFUSED;
		a->svr = (uint32_t)value & SVR_MASK;
		return VLAPIC_OK;
	case APIC_ESR:
		/* The write latches the errors since the last one (§10.5.3). */
		if (x2 && value)
			return VLAPIC_REFUSED;
		a->esr = a->esr_pending;
		a->esr_pending = 0;
		return VLAPIC_OK;
	case APIC_ICR_LOW:
		if (x2) {
			if (value & ICR_RESERVED)
				return VLAPIC_REFUSED;
			a->icr = value;
			send_ipi(a, (uint32_t)(value >> 32), (uint32_t)value, true);
			return VLAPIC_OK;
		}
		a->icr = (a->icr & ~0xffffffffull) | ((uint32_t)value & ~(uint32_t)ICR_RESERVED);
		send_ipi(a, (uint32_t)(a->icr >> 32) >> XAPIC_ID_SHIFT, (uint32_t)a->icr, false);
		return VLAPIC_OK;
	case APIC_ICR_HIGH:
		if (x2)
			return VLAPIC_ABSENT;
		a->icr = (uint32_t)a->icr | ((uint64_t)((uint32_t)value & XAPIC_ICR2_DEST) << 32);
		return VLAPIC_OK;
	case APIC_TIMER_ICR:
	case APIC_TIMER_CCR:
	case APIC_TIMER_DCR:
		return VLAPIC_MISSING;
	case APIC_SELF_IPI:
		if (!x2)
			return VLAPIC_ABSENT;
		if (value & ~0xffull)
			return VLAPIC_REFUSED;
		send_ipi(a, 0, APIC_DEST_SELF | APIC_DM_FIXED | (uint32_t)value, true);
		return VLAPIC_OK;
	}
	return VLAPIC_ABSENT;
}

/*
 * IA32_APIC_BASE (see hv/vlapic.h for the two regimes). Global disable
 * returns the registers to their power-up state (§10.4.3: "the APIC may
 * return to the state described in §10.4.7.1"; here it always does).
 */
static bool write_apic_base(struct hv_vlapic *a, uint64_t value)
{
	enum vlapic_mode old = hv_vlapic_mode(a->apic_base), new = hv_vlapic_mode(value);

	if (!a->xapic_page) {
		/* Only the base address may move; leaving x2APIC mode is refused. */
		if ((value & ~APIC_BASE_ADDR_MASK) != (a->apic_base & ~APIC_BASE_ADDR_MASK))
			return false;
		a->apic_base = value;
		return true;
	}
	if ((value & APIC_BASE_RESERVED) || (value & ~0xfffull) != APIC_DEFAULT_BASE)
		return false;
	/* The transitions figure 10-27 forbids (§10.12.5). */
	if (new == VLAPIC_INVALID || (old == VLAPIC_X2APIC && new == VLAPIC_XAPIC) ||
	    (old == VLAPIC_DISABLED && new == VLAPIC_X2APIC))
		return false;
	a->apic_base = value;
	if (new == VLAPIC_DISABLED && old != VLAPIC_DISABLED) {
		hv_vlapic_reset(a, false);
		a->id = a->index;
	} else if (old == VLAPIC_XAPIC && new == VLAPIC_X2APIC) {
		/* What xAPIC software wrote and x2APIC mode does not keep (§10.12.5.1). */
		a->id = a->index;
		a->icr &= 0xffffffffull;
	}
	return true;
}

bool hv_vlapic_rdmsr(struct hv_vlapic *a, uint32_t msr, uint64_t *value)
{
	if (msr == MSR_IA32_APIC_BASE) {
		*value = a->apic_base;
		return true;
	}
	if (msr == MSR_IA32_TSC_DEADLINE)
		return hv_vlapic_rdmsr_tsc_deadline(a, value);
	/* The x2APIC MSRs exist only in x2APIC mode (§10.12.1.2). */
	if (hv_vlapic_mode(a->apic_base) != VLAPIC_X2APIC || msr < APIC_X2APIC_MSR_FIRST ||
	    msr > APIC_X2APIC_MSR_LAST)
		return false;
	return hv_vlapic_reg_read(a, (msr - APIC_X2APIC_MSR_FIRST) << 4, value) == VLAPIC_OK;
}

bool hv_vlapic_wrmsr(struct hv_vlapic *a, uint32_t msr, uint64_t value)
{
	if (msr == MSR_IA32_APIC_BASE)
		return write_apic_base(a, value);
	if (msr == MSR_IA32_TSC_DEADLINE)
		return hv_vlapic_wrmsr_tsc_deadline(a, value);
	if (hv_vlapic_mode(a->apic_base) != VLAPIC_X2APIC || msr < APIC_X2APIC_MSR_FIRST ||
	    msr > APIC_X2APIC_MSR_LAST)
		return false;
	return hv_vlapic_reg_write(a, (msr - APIC_X2APIC_MSR_FIRST) << 4, value) == VLAPIC_OK;
}
