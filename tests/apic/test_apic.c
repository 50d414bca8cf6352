/* SPDX-License-Identifier: MIT */
/*
 * The local APIC model against SDM vol. 3 chapter 11 and facts §(e):
 * IA32_APIC_BASE and its states, the x2APIC MSRs, the ICR's delivery
 * modes and destinations, acceptance, priority and EOI, ESR and software
 * disable. Each check names the rule it holds the model to.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "apic_test_util.h"
#include "tests/emu/guest_util.h"
#include "x86/svm.h"

static uint64_t rdmsr(struct emu_cpu *cpu, uint32_t msr, arch_fault_t *f)
{
	uint64_t v = 0;

	*f = apic_model_rdmsr(cpu, msr, &v);
	return v;
}

static arch_fault_t rd_fault(struct emu_cpu *cpu, uint32_t msr)
{
	arch_fault_t f;

	(void)rdmsr(cpu, msr, &f);
	return f;
}

/* --- reset state and IA32_APIC_BASE --------------------------------------- */

static void body_reset(void)
{
	uint64_t v = 0;

	/* §11.4.4: enabled xAPIC at FEE00000h; only processor 0 is the BSP. */
	CHECK(arch_rdmsr(MSR_IA32_APIC_BASE, &v), ARCH_OK);
	CHECK(v, 0xfee00900u);
	CHECK(rdmsr(apic_cpu(1), MSR_IA32_APIC_BASE, &(arch_fault_t){ 0 }), 0xfee00800u);
	/* §11.4.7.1: the power-up register state. */
	CHECK(arch_apic_read(APIC_ID), 0u);
	CHECK(reg(apic_cpu(2), APIC_ID), 2u << 24);
	CHECK(arch_apic_read(APIC_VERSION), 0x00060014u);
	CHECK(arch_apic_read(APIC_SVR), 0xffu);
	CHECK(arch_apic_read(APIC_DFR), 0xffffffffu);
	CHECK(arch_apic_read(APIC_LDR), 0u);
	CHECK(arch_apic_read(APIC_TPR), 0u);
	CHECK(arch_apic_read(APIC_ESR), 0u);
	for (uint32_t off = APIC_LVT_TIMER; off <= APIC_LVT_ERROR; off += 0x10)
		CHECK(arch_apic_read(off), APIC_LVT_MASKED);
	CHECK(arch_apic_read(APIC_LVT_CMCI), APIC_LVT_MASKED);
	/* CPUID Fn0000_0001 ECX advertises x2APIC (21) and TSC-deadline (24). */
	struct arch_cpuid c;

	arch_cpuid(1, 0, &c);
	CHECK((c.ecx >> 21) & 1, 1);
	CHECK((c.ecx >> 24) & 1, 1);
}

static void test_reset(void **state)
{
	(void)state;
	apic_run(4, body_reset);
}

static void body_base_transitions(void)
{
	const uint64_t x = APIC_DEFAULT_BASE | MSR_APIC_BASE_BSP;
	const uint64_t en = MSR_APIC_BASE_EN, extd = MSR_APIC_BASE_EXTD;
	uint64_t v;

	/* Reserved bits: 7:0, 9 and MAXPHYADDR (40) up. */
	CHECK(arch_wrmsr(MSR_IA32_APIC_BASE, x | en | 1), GP);
	CHECK(arch_wrmsr(MSR_IA32_APIC_BASE, x | en | (1u << 9)), GP);
	CHECK(arch_wrmsr(MSR_IA32_APIC_BASE, x | en | (1ull << 40)), GP);
	/* EXTD without EN is the invalid state. */
	CHECK(arch_wrmsr(MSR_IA32_APIC_BASE, x | extd), GP);
	/* xAPIC -> x2APIC. */
	CHECK(arch_wrmsr(MSR_IA32_APIC_BASE, x | en | extd), ARCH_OK);
	arch_rdmsr(MSR_IA32_APIC_BASE, &v);
	CHECK(v, x | en | extd);
	/* x2APIC -> xAPIC directly is #GP, and the state stays x2APIC. */
	CHECK(arch_wrmsr(MSR_IA32_APIC_BASE, x | en), GP);
	arch_rdmsr(MSR_IA32_APIC_BASE, &v);
	CHECK(v, x | en | extd);
	/* x2APIC -> disabled; disabled -> x2APIC is #GP; disabled -> xAPIC. */
	CHECK(arch_wrmsr(MSR_IA32_APIC_BASE, x), ARCH_OK);
	CHECK(arch_wrmsr(MSR_IA32_APIC_BASE, x | en | extd), GP);
	CHECK(arch_wrmsr(MSR_IA32_APIC_BASE, x | en), ARCH_OK);
	/* BSP is read/write; the base moves within MAXPHYADDR. */
	CHECK(arch_wrmsr(MSR_IA32_APIC_BASE, 0xfed00000u | en), ARCH_OK);
	arch_rdmsr(MSR_IA32_APIC_BASE, &v);
	CHECK(v, 0xfed00000u | en);
	/* The page at FEE00000h no longer holds the APIC: open bus. */
	CHECK(apic_model_read(apic_cpu(0), APIC_VERSION), 0xffffffffu);
	CHECK(arch_wrmsr(MSR_IA32_APIC_BASE, x | en), ARCH_OK);
	CHECK(apic_model_read(apic_cpu(0), APIC_VERSION), 0x00060014u);
}

static void test_base_transitions(void **state)
{
	(void)state;
	apic_run(1, body_base_transitions);
}

static void body_disable_resets(void)
{
	struct emu_cpu *cpu = apic_cpu(0);
	uint64_t base;

	sw_enable(cpu);
	arch_apic_write(APIC_TPR, 0x20);
	arch_apic_write(APIC_LVT_TIMER, 0x40);
	arch_apic_write(APIC_TIMER_ICR, 1000);
	arch_apic_write(APIC_LDR, 0x01000000);
	arch_apic_write(APIC_ID, 0x07000000);
	arch_apic_send_ipi(0, APIC_DEST_SELF | APIC_DM_FIXED | 0x80);
	CHECK(vec_bit(cpu, APIC_IRR, 0x80), 1);
	CHECK(arch_apic_read(APIC_ID), 0x07000000u);
	arch_rdmsr(MSR_IA32_APIC_BASE, &base);
	CHECK(arch_wrmsr(MSR_IA32_APIC_BASE, base & ~MSR_APIC_BASE_EN), ARCH_OK);
	/* Globally disabled: the page is not there, nothing is pending. */
	CHECK(apic_model_read(cpu, APIC_VERSION), 0xffffffffu);
	CHECK(arch_apic_read(APIC_TPR), 0xffffffffu);
	CHECK(apic_model_pending_vector(cpu), (uint64_t)-1);
	CHECK(apic_model_timer_deadline(cpu), UINT64_MAX);
	CHECK(arch_wrmsr(MSR_IA32_APIC_BASE, base), ARCH_OK);
	/* Re-enabled: the power-up state, the initial ID back. */
	CHECK(arch_apic_read(APIC_TPR), 0u);
	CHECK(arch_apic_read(APIC_SVR), 0xffu);
	CHECK(arch_apic_read(APIC_LVT_TIMER), APIC_LVT_MASKED);
	CHECK(arch_apic_read(APIC_TIMER_ICR), 0u);
	CHECK(arch_apic_read(APIC_LDR), 0u);
	CHECK(arch_apic_read(APIC_ID), 0u);
	CHECK(irr_count(cpu), 0);
}

static void test_disable_resets(void **state)
{
	(void)state;
	apic_run(1, body_disable_resets);
}

/* --- x2APIC --------------------------------------------------------------- */

static void body_x2apic(void)
{
	struct emu_cpu *c0 = apic_cpu(0), *c5 = apic_cpu(5);
	arch_fault_t f;
	uint64_t v;

	/* xAPIC mode: the x2APIC MSRs are #GP. */
	CHECK(arch_rdmsr(0x802, &v), GP);
	CHECK(arch_wrmsr(0x808, 0), GP);
	to_x2apic(c0);
	to_x2apic(c5);
	/* 32-bit ID, read-only; LDR read-only and derived from it. */
	CHECK(rdmsr(c5, 0x802, &f), 5u);
	CHECK(rdmsr(c5, 0x80d, &f), 1u << 5);
	CHECK(apic_x2apic_ldr(0x25), 0x00020020u);
	CHECK(apic_x2apic_ldr(0x1234f), 0x12348000u);
	CHECK(apic_model_wrmsr(c5, 0x802, 5), GP);
	CHECK(apic_model_wrmsr(c5, 0x80d, 1u << 5), GP);
	/* Read-only registers: version, PPR, ISR, TMR, IRR, TMCCT. */
	CHECK(apic_model_wrmsr(c0, 0x803, 0), GP);
	CHECK(apic_model_wrmsr(c0, 0x80a, 0), GP);
	CHECK(apic_model_wrmsr(c0, 0x810, 0), GP);
	CHECK(apic_model_wrmsr(c0, 0x818, 0), GP);
	CHECK(apic_model_wrmsr(c0, 0x827, 0), GP);
	CHECK(apic_model_wrmsr(c0, 0x839, 0), GP);
	/* Write-only: EOI and SELF_IPI. */
	CHECK(rd_fault(c0, 0x80b), GP);
	CHECK(rd_fault(c0, 0x83f), GP);
	/* xAPIC-only registers and holes do not exist. */
	static const uint32_t absent[] = { 0x800, 0x801, 0x804, 0x809, 0x80c, 0x80e,
					   0x829, 0x831, 0x83a, 0x83d, 0x840, 0x8ff };
	for (size_t i = 0; i < sizeof(absent) / sizeof(absent[0]); i++) {
		CHECK(rd_fault(c0, absent[i]), GP);
		CHECK(apic_model_wrmsr(c0, absent[i], 0), GP);
	}
	/* EOI: only 0; ESR: only 0. */
	CHECK(apic_model_wrmsr(c0, 0x80b, 1), GP);
	CHECK(apic_model_wrmsr(c0, 0x80b, 0), ARCH_OK);
	CHECK(apic_model_wrmsr(c0, 0x828, 1), GP);
	CHECK(apic_model_wrmsr(c0, 0x828, 0), ARCH_OK);
	/* Reserved bits: TPR 31:8, bits 63:32, SVR 10+, TDCR 2, LVT, SELF_IPI 31:8. */
	CHECK(apic_model_wrmsr(c0, 0x808, 0x100), GP);
	CHECK(apic_model_wrmsr(c0, 0x808, 1ull << 32), GP);
	CHECK(apic_model_wrmsr(c0, 0x808, 0x35), ARCH_OK);
	CHECK(rdmsr(c0, 0x808, &f), 0x35u);
	CHECK(apic_model_wrmsr(c0, 0x80f, 0x5ff), GP);
	CHECK(apic_model_wrmsr(c0, 0x80f, 0x1ff), ARCH_OK);
	CHECK(apic_model_wrmsr(c0, 0x83e, 0x4), GP);
	CHECK(apic_model_wrmsr(c0, 0x837, 0x100), GP);  /* LVT error has no delivery mode */
	CHECK(apic_model_wrmsr(c0, 0x832, 0x80000), GP); /* LVT timer bit 19 */
	CHECK(apic_model_wrmsr(c0, 0x83f, 0x100), GP);
	/* ICR: one 64-bit MSR; 12, 13, 17:16 and 31:20 reserved. */
	CHECK(apic_model_wrmsr(c0, 0x830, APIC_ICR_BUSY | 0x40), GP);
	CHECK(apic_model_wrmsr(c0, 0x830, (1u << 13) | 0x40), GP);
	CHECK(apic_model_wrmsr(c0, 0x830, (1u << 20) | 0x40), GP);
	CHECK(apic_model_wrmsr(c0, 0x830, (5ull << 32) | APIC_DM_NMI | APIC_INT_ASSERT), ARCH_OK);
	CHECK(rdmsr(c0, 0x830, &f), (5ull << 32) | APIC_DM_NMI | APIC_INT_ASSERT);
	CHECK(c5->pins.nmi, 1);
	/* SELF_IPI: a fixed interrupt to this APIC. */
	CHECK(apic_model_wrmsr(c0, 0x83f, 0x66), ARCH_OK);
	CHECK(vec_bit(c0, APIC_IRR, 0x66), 1);
	CHECK(vec_bit(c0, APIC_TMR, 0x66), 0);
	/* The page does not respond in x2APIC mode: reads all ones, writes dropped. */
	CHECK(apic_model_read(c0, APIC_ID), 0xffffffffu);
	apic_model_write(c0, APIC_TPR, 0x10);
	CHECK(rdmsr(c0, 0x808, &f), 0x35u);
	/* The seam goes through the MSRs in x2APIC mode. */
	CHECK(arch_apic_read(APIC_TPR), 0x35u);
	CHECK(arch_rdmsr(0x803, &v), ARCH_OK);
	CHECK(v, 0x00060014u);
	arch_apic_send_ipi(5, APIC_DM_FIXED | 0x70);
	CHECK(vec_bit(c5, APIC_IRR, 0x70), 0); /* c5 is still software-disabled */
	sw_enable(c5);
	arch_apic_send_ipi(5, APIC_DM_FIXED | 0x70);
	CHECK(vec_bit(c5, APIC_IRR, 0x70), 1);
}

/* kvm_apic_accept_irq in traces: a fixed interrupt is reported when the IRR
 * takes it, not when an illegal vector or a software-disabled APIC refuses
 * it (§11.5.3, §11.4.7.2); an NMI arrives whatever the APIC's state. */
static void body_accept_events(void)
{
	struct emu_cpu *c1 = apic_cpu(1);

	sw_enable(apic_cpu(0));
	arch_apic_send_ipi(0, APIC_DEST_SELF | APIC_DM_FIXED | 0x42);
	CHECK(accepts(), 1);
	CHECK(last_accept()->cpu, 0);
	CHECK(last_accept()->v[3], 0x42);
	arch_apic_send_ipi(0, APIC_DEST_SELF | APIC_DM_FIXED | 0x05);
	CHECK(accepts(), 1);
	arch_apic_send_ipi(1, APIC_DM_FIXED | 0x43); /* processor 1 is software-disabled */
	CHECK(vec_bit(c1, APIC_IRR, 0x43), 0);
	CHECK(accepts(), 1);
	arch_apic_send_ipi(1, APIC_DM_NMI | APIC_INT_ASSERT);
	CHECK(accepts(), 2);
	CHECK(last_accept()->cpu, 1);
	CHECK(last_accept()->v[1], APIC_DM_NMI >> 8);
}

static void test_accept_events(void **state)
{
	(void)state;
	apic_run(2, body_accept_events);
}

static void test_x2apic(void **state)
{
	(void)state;
	apic_run(8, body_x2apic);
}

/* Guest RDMSR/WRMSR of APIC MSRs, not intercepted, reach the processor's APIC. */
static const uint8_t guest_msrs[] = {
	0xb9, 0x1b, 0x00, 0x00, 0x00,  /* mov ecx, 1bh */
	0x0f, 0x32,                    /* rdmsr */
	0x49, 0x89, 0xc0,              /* mov r8, rax */
	0xb9, 0x08, 0x08, 0x00, 0x00,  /* mov ecx, 808h */
	0xb8, 0x30, 0x00, 0x00, 0x00,  /* mov eax, 30h */
	0x31, 0xd2,                    /* xor edx, edx */
	0x0f, 0x30,                    /* wrmsr */
	0xb9, 0x02, 0x08, 0x00, 0x00,  /* mov ecx, 802h */
	0x0f, 0x32,                    /* rdmsr */
	0x49, 0x89, 0xc1,              /* mov r9, rax */
	0x0f, 0x01, 0xd9,              /* vmmcall */
};

static void body_guest_msrs(void)
{
	struct tguest g;
	uint64_t v;

	tg_svm_on();
	to_x2apic(apic_cpu(0));
	tg_long(&g, guest_msrs, sizeof(guest_msrs));
	CHECK(tg_run(&g), ARCH_OK);
	CHECK(g.vmcb->control.exit_code, SVM_EXIT_VMMCALL);
	CHECK(g.gprs.r8, 0xfee00d00u);
	CHECK(g.gprs.r9, 0u);
	arch_rdmsr(0x808, &v);
	CHECK(v, 0x30u);
}

static void test_guest_msrs(void **state)
{
	(void)state;
	apic_run(1, body_guest_msrs);
}

/* --- IPIs ------------------------------------------------------------------ */

static void enable_all(unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		sw_enable(apic_cpu(i));
}

/*
 * Which of processors 0-3 hold vector v in IRR, as bits; then clear IRR.
 * Read from the state: a globally disabled APIC has no registers to read.
 */
static unsigned hits(uint8_t v)
{
	unsigned r = 0;

	for (unsigned i = 0; i < 4; i++) {
		if (apic_of(apic_cpu(i))->irr[v / 32] & APIC_VECTOR_BIT(v))
			r |= 1u << i;
		memset(apic_of(apic_cpu(i))->irr, 0, sizeof(apic_of(apic_cpu(i))->irr));
	}
	return r;
}

static void body_ipi_xapic(void)
{
	enable_all(4);
	/* Physical destination and physical broadcast FFh. */
	arch_apic_send_ipi(2, APIC_DM_FIXED | 0x40);
	CHECK(hits(0x40), 0x4);
	arch_apic_send_ipi(0xff, APIC_DM_FIXED | 0x40);
	CHECK(hits(0x40), 0xf);
	/* A written xAPIC ID is what physical destinations match. */
	reg_set(apic_cpu(3), APIC_ID, 0x09000000);
	arch_apic_send_ipi(9, APIC_DM_FIXED | 0x40);
	CHECK(hits(0x40), 0x8);
	arch_apic_send_ipi(3, APIC_DM_FIXED | 0x40);
	CHECK(hits(0x40), 0x0);
	/* Logical, flat model: LDR bits 31:24 against the 8-bit mask. */
	for (unsigned i = 0; i < 4; i++)
		reg_set(apic_cpu(i), APIC_LDR, 1u << (24 + i));
	arch_apic_send_ipi(0x05, APIC_DEST_LOGICAL | APIC_DM_FIXED | 0x41);
	CHECK(hits(0x41), 0x5);
	/* Logical, cluster model: cluster in 7:4, members in 3:0. */
	static const uint32_t ldr[4] = { 0x11, 0x12, 0x21, 0x22 };
	for (unsigned i = 0; i < 4; i++) {
		reg_set(apic_cpu(i), APIC_DFR, APIC_DFR_CLUSTER);
		reg_set(apic_cpu(i), APIC_LDR, ldr[i] << 24);
	}
	CHECK(reg(apic_cpu(1), APIC_DFR), APIC_DFR_CLUSTER);
	arch_apic_send_ipi(0x13, APIC_DEST_LOGICAL | APIC_DM_FIXED | 0x42);
	CHECK(hits(0x42), 0x3);
	arch_apic_send_ipi(0x21, APIC_DEST_LOGICAL | APIC_DM_FIXED | 0x42);
	CHECK(hits(0x42), 0x4);
	arch_apic_send_ipi(0xff, APIC_DEST_LOGICAL | APIC_DM_FIXED | 0x42);
	CHECK(hits(0x42), 0xf);
	/* Shorthands ignore the destination. */
	arch_apic_send_ipi(3, APIC_DEST_SELF | APIC_DM_FIXED | 0x43);
	CHECK(hits(0x43), 0x1);
	arch_apic_send_ipi(3, APIC_DEST_ALLINC | APIC_DM_FIXED | 0x43);
	CHECK(hits(0x43), 0xf);
	arch_apic_send_ipi(3, APIC_DEST_ALLBUT | APIC_DM_FIXED | 0x43);
	CHECK(hits(0x43), 0xe);
	/* Delivery is immediate: the status bit reads idle; ICR keeps the rest. */
	CHECK(arch_apic_read(APIC_ICR_LOW), APIC_DEST_ALLBUT | APIC_DM_FIXED | 0x43);
	CHECK(arch_apic_read(APIC_ICR_HIGH), 3u << 24);
	/* A globally disabled APIC receives nothing. */
	uint64_t base;

	apic_model_rdmsr(apic_cpu(2), MSR_IA32_APIC_BASE, &base);
	apic_model_wrmsr(apic_cpu(2), MSR_IA32_APIC_BASE, base & ~MSR_APIC_BASE_EN);
	arch_apic_send_ipi(3, APIC_DEST_ALLINC | APIC_DM_FIXED | 0x44);
	CHECK(hits(0x44), 0xb);
}

static void test_ipi_xapic(void **state)
{
	(void)state;
	apic_run(4, body_ipi_xapic);
}

static void body_ipi_x2apic(void)
{
	enable_all(4);
	for (unsigned i = 0; i < 4; i++)
		to_x2apic(apic_cpu(i));
	arch_apic_send_ipi(3, APIC_DM_FIXED | 0x50);
	CHECK(hits(0x50), 0x8);
	arch_apic_send_ipi(0xff, APIC_DM_FIXED | 0x50); /* not a broadcast in x2APIC mode */
	CHECK(hits(0x50), 0x0);
	arch_apic_send_ipi(0xffffffffu, APIC_DM_FIXED | 0x50);
	CHECK(hits(0x50), 0xf);
	/* Cluster 0, members 0 and 2; cluster 1 holds none of them. */
	arch_apic_send_ipi(0x00000005u, APIC_DEST_LOGICAL | APIC_DM_FIXED | 0x51);
	CHECK(hits(0x51), 0x5);
	arch_apic_send_ipi(0x00010005u, APIC_DEST_LOGICAL | APIC_DM_FIXED | 0x51);
	CHECK(hits(0x51), 0x0);
	arch_apic_send_ipi(0xffffffffu, APIC_DEST_LOGICAL | APIC_DM_FIXED | 0x51);
	CHECK(hits(0x51), 0xf);
}

static void test_ipi_x2apic(void **state)
{
	(void)state;
	apic_run(4, body_ipi_x2apic);
}

static void body_lowest_priority(void)
{
	static const uint32_t tpr[4] = { 0x20, 0x10, 0x10, 0x30 };

	enable_all(4);
	for (unsigned i = 0; i < 4; i++)
		reg_set(apic_cpu(i), APIC_TPR, tpr[i]);
	/* Lowest PPR wins; 1 and 2 tie, the lower APIC ID takes it. */
	arch_apic_send_ipi(0xff, APIC_DM_LOWEST | 0x60);
	CHECK(hits(0x60), 0x2);
	reg_set(apic_cpu(1), APIC_TPR, 0x40);
	arch_apic_send_ipi(0xff, APIC_DM_LOWEST | 0x60);
	CHECK(hits(0x60), 0x4);
	/* PPR, not TPR alone: an in-service vector raises processor 2's priority. */
	apic_of(apic_cpu(2))->isr[0x90 / 32] |= APIC_VECTOR_BIT(0x90);
	arch_apic_send_ipi(0xff, APIC_DM_LOWEST | 0x60);
	CHECK(hits(0x60), 0x1);
	/* Only among the destinations. */
	arch_apic_send_ipi(3, APIC_DM_LOWEST | 0x60);
	CHECK(hits(0x60), 0x8);
}

static void test_lowest_priority(void **state)
{
	(void)state;
	apic_run(4, body_lowest_priority);
}

static void body_special_modes(void)
{
	struct emu_cpu *c1 = apic_cpu(1), *c2 = apic_cpu(2);
	uint8_t vec = 0;

	/* NMI, SMI, INIT and start-up reach even a software-disabled APIC. */
	arch_apic_send_ipi(1, APIC_DM_NMI | APIC_INT_ASSERT);
	CHECK(c1->pins.nmi, 1);
	CHECK(c2->pins.nmi, 0);
	arch_apic_send_ipi(2, APIC_DM_SMI | APIC_INT_ASSERT);
	CHECK(apic_of(c2)->smi_pending, 1);
	CHECK(apic_model_take_smi(c2), 1);
	CHECK(apic_model_take_smi(c2), 0);
	/* INIT level de-assert (ICR 8500h) is ignored. */
	arch_apic_send_ipi(1, 0x8500);
	CHECK(apic_of(c1)->init_pending, 0);
	CHECK(c1->wait_for_sipi, 0);
	/* A processor that runs nothing takes an INIT at once and waits for SIPI. */
	arch_apic_send_ipi(1, APIC_DM_INIT | APIC_INT_ASSERT);
	CHECK(apic_of(c1)->init_pending, 0);
	CHECK(c1->wait_for_sipi, 1);
	/* A start-up IPI to one that does not wait for it is dropped. */
	arch_apic_send_ipi(2, APIC_DM_STARTUP | 0x9f);
	CHECK(apic_of(c2)->sipi_pending, 0);
	CHECK(c2->bare, 0);
	/* To one that waits, it starts the code at vector << 12 (cli; hlt). */
	memcpy(arch_phys_to_virt(0x9f000), "\xfa\xf4", 2);
	arch_apic_send_ipi(1, APIC_DM_STARTUP | 0x9f);
	CHECK(c1->wait_for_sipi, 0);
	CHECK(c1->bare, 1);
	CHECK(c1->sipi_vector, 0x9f);
	CHECK(apic_model_take_sipi(c1, &vec), 0);
	/* ExtINT has no 8259A behind it: nothing arrives. */
	sw_enable(c2);
	arch_apic_send_ipi(2, APIC_DM_EXTINT | 0x70);
	CHECK(irr_count(c2), 0);
	CHECK(c2->pins.intr, 0);
	/* INIT reset of the APIC keeps ID and mode, clears the rest (§11.4.7.3). */
	reg_set(c2, APIC_ID, 0x0a000000);
	reg_set(c2, APIC_TPR, 0x30);
	apic_model_init_reset(c2);
	CHECK(reg(c2, APIC_ID), 0x0a000000u);
	CHECK(reg(c2, APIC_TPR), 0u);
	CHECK(reg(c2, APIC_SVR), 0xffu);
}

static void test_special_modes(void **state)
{
	(void)state;
	apic_run(4, body_special_modes);
}

/* --- acceptance, priority, EOI, ESR, software disable ---------------------- */

static void body_priority(void)
{
	struct emu_cpu *c = apic_cpu(0);

	sw_enable(c);
	/* Level-triggered sets TMR on acceptance; edge clears it (§11.8.4). */
	arch_apic_send_ipi(0, APIC_DEST_SELF | APIC_INT_LEVELTRIG | APIC_INT_ASSERT | 0x50);
	arch_apic_send_ipi(0, APIC_DEST_SELF | 0x61);
	CHECK(vec_bit(c, APIC_IRR, 0x50), 1);
	CHECK(vec_bit(c, APIC_TMR, 0x50), 1);
	CHECK(vec_bit(c, APIC_TMR, 0x61), 0);
	CHECK(apic_model_pending_vector(c), 0x61);
	CHECK(c->pins.intr, 1);
	/* A class at or below PPR's is held. */
	reg_set(c, APIC_TPR, 0x61);
	CHECK(arch_apic_read(APIC_PPR), 0x61u);
	CHECK(apic_model_pending_vector(c), (uint64_t)-1);
	CHECK(c->pins.intr, 0);
	reg_set(c, APIC_TPR, 0x00);
	apic_model_ack(c, 0x61);
	CHECK(vec_bit(c, APIC_ISR, 0x61), 1);
	CHECK(vec_bit(c, APIC_IRR, 0x61), 0);
	/* PPR = ISRV class when it is above TPR's, low nibble 0 (§11.8.3.1). */
	reg_set(c, APIC_TPR, 0x35);
	CHECK(arch_apic_read(APIC_PPR), 0x60u);
	reg_set(c, APIC_TPR, 0x75);
	CHECK(arch_apic_read(APIC_PPR), 0x75u);
	reg_set(c, APIC_TPR, 0);
	CHECK(apic_model_pending_vector(c), (uint64_t)-1); /* 0x50 is below ISR's 0x61 */
	/* EOI clears the highest ISR bit; 0x50 is then presented. */
	arch_apic_write(APIC_EOI, 0);
	CHECK(vec_bit(c, APIC_ISR, 0x61), 0);
	CHECK(apic_model_pending_vector(c), 0x50);
	apic_model_ack(c, 0x50);
	arch_apic_send_ipi(0, APIC_DEST_SELF | 0x62);
	apic_model_ack(c, 0x62);
	arch_apic_write(APIC_EOI, 0);
	CHECK(vec_bit(c, APIC_ISR, 0x62), 0);
	CHECK(vec_bit(c, APIC_ISR, 0x50), 1);
	arch_apic_write(APIC_EOI, 0);
	CHECK(vec_bit(c, APIC_ISR, 0x50), 0);
	/* TMR changes on acceptance only: an edge-triggered 0x50 clears it. */
	CHECK(vec_bit(c, APIC_TMR, 0x50), 1);
	arch_apic_send_ipi(0, APIC_DEST_SELF | 0x50);
	CHECK(vec_bit(c, APIC_TMR, 0x50), 0);
}

static void test_priority(void **state)
{
	(void)state;
	apic_run(1, body_priority);
}

static void body_esr(void)
{
	struct emu_cpu *c = apic_cpu(0);

	sw_enable(c);
	/* Send illegal vector: not sent, latched until the next ESR write. */
	arch_apic_send_ipi(0, APIC_DEST_SELF | 0x05);
	CHECK(irr_count(c), 0);
	CHECK(arch_apic_read(APIC_ESR), 0u);
	arch_apic_write(APIC_ESR, 0);
	CHECK(arch_apic_read(APIC_ESR), APIC_ESR_SEND_ILLEGAL_VECTOR);
	arch_apic_write(APIC_ESR, 0);
	CHECK(arch_apic_read(APIC_ESR), 0u);
	/* Receive illegal vector: a local source (the timer LVT) with vector 3. */
	arch_apic_write(APIC_LVT_TIMER, 0x03);
	arch_apic_write(APIC_TIMER_DCR, APIC_TDCR_DIV_1);
	apic_model_write(c, APIC_TIMER_ICR, 1);
	c->cycle += 1;
	apic_model_timer_fire(c);
	CHECK(irr_count(c), 0);
	arch_apic_write(APIC_ESR, 0);
	CHECK(arch_apic_read(APIC_ESR), APIC_ESR_RECV_ILLEGAL_VECTOR);
	/* An unmasked LVT Error raises its vector for each error. */
	arch_apic_write(APIC_LVT_ERROR, 0xe0);
	arch_apic_send_ipi(0, APIC_DEST_SELF | 0x0f);
	CHECK(vec_bit(c, APIC_IRR, 0xe0), 1);
	arch_apic_write(APIC_ESR, 0);
	CHECK(arch_apic_read(APIC_ESR), APIC_ESR_SEND_ILLEGAL_VECTOR);
	/* xAPIC: the written value does not matter. */
	arch_apic_send_ipi(0, APIC_DEST_SELF | 0x01);
	arch_apic_write(APIC_ESR, 0xffffffffu);
	CHECK(arch_apic_read(APIC_ESR), APIC_ESR_SEND_ILLEGAL_VECTOR);
}

static void test_esr(void **state)
{
	(void)state;
	apic_run(1, body_esr);
}

static void body_software_disable(void)
{
	struct emu_cpu *c = apic_cpu(0);

	sw_enable(c);
	arch_apic_write(APIC_LVT_TIMER, 0x40);
	arch_apic_write(APIC_LVT_LINT0, 0x41);
	arch_apic_send_ipi(0, APIC_DEST_SELF | 0x80);
	/* Disabling masks every LVT entry (§11.4.7.2); IRR is held. */
	arch_apic_write(APIC_SVR, 0xff);
	CHECK(arch_apic_read(APIC_LVT_TIMER), APIC_LVT_MASKED | 0x40);
	CHECK(arch_apic_read(APIC_LVT_LINT0), APIC_LVT_MASKED | 0x41);
	CHECK(vec_bit(c, APIC_IRR, 0x80), 1);
	/* Mask bits cannot be cleared while disabled. */
	arch_apic_write(APIC_LVT_ERROR, 0xe0);
	CHECK(arch_apic_read(APIC_LVT_ERROR), APIC_LVT_MASKED | 0xe0);
	/* Fixed interrupts are not accepted; the spurious vector is stored. */
	arch_apic_send_ipi(0, APIC_DEST_SELF | 0x81);
	CHECK(vec_bit(c, APIC_IRR, 0x81), 0);
	arch_apic_write(APIC_SVR, APIC_SVR_ENABLE | 0x3f);
	CHECK(arch_apic_read(APIC_SVR), APIC_SVR_ENABLE | 0x3f);
	/* Re-enabled: the entries stay masked until written. */
	CHECK(arch_apic_read(APIC_LVT_TIMER), APIC_LVT_MASKED | 0x40);
	arch_apic_write(APIC_LVT_TIMER, 0x40);
	CHECK(arch_apic_read(APIC_LVT_TIMER), 0x40u);
	/* xAPIC page: reserved LVT bits are dropped, SVR bits 10+ too. */
	arch_apic_write(APIC_LVT_LINT1, 0xffffffffu);
	CHECK(arch_apic_read(APIC_LVT_LINT1), 0x0001a7ffu);
	arch_apic_write(APIC_SVR, 0xffffffffu);
	CHECK(arch_apic_read(APIC_SVR), 0x3ffu);
}

static void test_software_disable(void **state)
{
	(void)state;
	apic_run(1, body_software_disable);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reset),
		cmocka_unit_test(test_base_transitions),
		cmocka_unit_test(test_disable_resets),
		cmocka_unit_test(test_accept_events),
		cmocka_unit_test(test_x2apic),
		cmocka_unit_test(test_guest_msrs),
		cmocka_unit_test(test_ipi_xapic),
		cmocka_unit_test(test_ipi_x2apic),
		cmocka_unit_test(test_lowest_priority),
		cmocka_unit_test(test_special_modes),
		cmocka_unit_test(test_priority),
		cmocka_unit_test(test_esr),
		cmocka_unit_test(test_software_disable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
