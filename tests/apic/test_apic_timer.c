/* SPDX-License-Identifier: MIT */
/*
 * The APIC timer's registers against SDM vol. 3 §11.5.4 and facts §(e):
 * TMCCT against the processor clock through each TDCR divisor, one-shot,
 * periodic and TSC-deadline modes, mode changes, and the deadline/fire
 * interface the engine uses. The bodies move the processor clock
 * themselves and use the model's own entry points, which cost no cycles,
 * so every expected count is exact.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "apic_test_util.h"

static struct emu_cpu *c;

static void w(uint32_t off, uint32_t v)
{
	apic_model_write(c, off, v);
}

static uint32_t r(uint32_t off)
{
	return apic_model_read(c, off);
}

static void clear_irr(void)
{
	memset(apic_of(c)->irr, 0, sizeof(apic_of(c)->irr));
}

static void setup(void)
{
	c = apic_cpu(0);
	sw_enable(c);
}

static void body_oneshot(void)
{
	uint64_t t0;

	setup();
	w(APIC_LVT_TIMER, APIC_LVT_TIMER_ONESHOT | 0x40);
	w(APIC_TIMER_DCR, 0x0); /* divide by 2 */
	CHECK(apic_model_timer_deadline(c), UINT64_MAX);
	t0 = c->cycle;
	w(APIC_TIMER_ICR, 100);
	CHECK(apic_model_timer_deadline(c), t0 + 200);
	CHECK(r(APIC_TIMER_CCR), 100u);
	c->cycle = t0 + 50;
	CHECK(r(APIC_TIMER_CCR), 75u);
	c->cycle = t0 + 199;
	CHECK(r(APIC_TIMER_CCR), 1u);
	/* Not due yet: fire does nothing. */
	apic_model_timer_fire(c);
	CHECK(vec_bit(c, APIC_IRR, 0x40), 0);
	c->cycle = t0 + 200;
	CHECK(r(APIC_TIMER_CCR), 0u);
	apic_model_timer_fire(c);
	CHECK(vec_bit(c, APIC_IRR, 0x40), 1);
	CHECK(vec_bit(c, APIC_TMR, 0x40), 0);
	CHECK(apic_model_timer_deadline(c), UINT64_MAX);
	/* Counts down to 0 and stays there; TMICT keeps its value; one interrupt. */
	c->cycle = t0 + 1000;
	CHECK(r(APIC_TIMER_CCR), 0u);
	CHECK(r(APIC_TIMER_ICR), 100u);
	clear_irr();
	apic_model_timer_fire(c);
	CHECK(vec_bit(c, APIC_IRR, 0x40), 0);
	/* Writing TMICT restarts the count; 0 stops it. */
	w(APIC_TIMER_ICR, 10);
	CHECK(apic_model_timer_deadline(c), c->cycle + 20);
	w(APIC_TIMER_ICR, 0);
	CHECK(apic_model_timer_deadline(c), UINT64_MAX);
	CHECK(r(APIC_TIMER_CCR), 0u);
}

static void test_oneshot(void **state)
{
	(void)state;
	apic_run(1, body_oneshot);
}

static void body_divide(void)
{
	static const struct { uint32_t dcr; uint64_t div; } enc[] = {
		{ 0x0, 2 }, { 0x1, 4 }, { 0x2, 8 }, { 0x3, 16 },
		{ 0x8, 32 }, { 0x9, 64 }, { 0xa, 128 }, { 0xb, 1 },
	};

	setup();
	w(APIC_LVT_TIMER, 0x40);
	for (size_t i = 0; i < sizeof(enc) / sizeof(enc[0]); i++) {
		uint64_t t = c->cycle;

		w(APIC_TIMER_DCR, enc[i].dcr);
		CHECK(r(APIC_TIMER_DCR), enc[i].dcr);
		w(APIC_TIMER_ICR, 3);
		CHECK(apic_model_timer_deadline(c) - t, 3 * enc[i].div);
	}
	/* Bit 2 and bits 31:4 are reserved: dropped on the page. */
	w(APIC_TIMER_DCR, 0xffffffffu);
	CHECK(r(APIC_TIMER_DCR), 0xbu);
}

static void test_divide(void **state)
{
	(void)state;
	apic_run(1, body_divide);
}

static void body_periodic(void)
{
	uint64_t t0;

	setup();
	w(APIC_TIMER_DCR, APIC_TDCR_DIV_1);
	w(APIC_LVT_TIMER, APIC_LVT_TIMER_PERIODIC | 0x41);
	t0 = c->cycle;
	w(APIC_TIMER_ICR, 10);
	CHECK(apic_model_timer_deadline(c), t0 + 10);
	c->cycle = t0 + 10;
	apic_model_timer_fire(c);
	CHECK(vec_bit(c, APIC_IRR, 0x41), 1);
	/* Reloaded from TMICT at the cycle it reached 0. */
	CHECK(apic_model_timer_deadline(c), t0 + 20);
	CHECK(r(APIC_TIMER_CCR), 10u);
	c->cycle = t0 + 13;
	CHECK(r(APIC_TIMER_CCR), 7u);
	/* Read late, before fire ran: the count of the period now running. */
	c->cycle = t0 + 35;
	CHECK(r(APIC_TIMER_CCR), 5u);
	apic_model_timer_fire(c);
	CHECK(apic_model_timer_deadline(c), t0 + 30);
	apic_model_timer_fire(c);
	CHECK(apic_model_timer_deadline(c), t0 + 40);
	apic_model_timer_fire(c);
	CHECK(apic_model_timer_deadline(c), t0 + 40);
	/* Masked: still counts and reloads, no interrupt. */
	w(APIC_LVT_TIMER, APIC_LVT_TIMER_PERIODIC | APIC_LVT_MASKED | 0x41);
	clear_irr();
	c->cycle = t0 + 40;
	apic_model_timer_fire(c);
	CHECK(vec_bit(c, APIC_IRR, 0x41), 0);
	CHECK(apic_model_timer_deadline(c), t0 + 50);
	/* The same registers as x2APIC MSRs. */
	uint64_t v;

	to_x2apic(c);
	CHECK(apic_model_rdmsr(c, 0x839, &v), ARCH_OK);
	CHECK(v, 10u);
	c->cycle = t0 + 44;
	apic_model_rdmsr(c, 0x839, &v);
	CHECK(v, 6u);
	CHECK(apic_model_wrmsr(c, 0x838, 4), ARCH_OK);
	CHECK(apic_model_timer_deadline(c), t0 + 48);
}

static void test_periodic(void **state)
{
	(void)state;
	apic_run(1, body_periodic);
}

static void body_mode_changes(void)
{
	uint64_t t0;

	setup();
	w(APIC_TIMER_DCR, APIC_TDCR_DIV_1);
	/* One-shot -> periodic keeps the count. */
	w(APIC_LVT_TIMER, APIC_LVT_TIMER_ONESHOT | 0x42);
	t0 = c->cycle;
	w(APIC_TIMER_ICR, 100);
	c->cycle = t0 + 30;
	w(APIC_LVT_TIMER, APIC_LVT_TIMER_PERIODIC | 0x42);
	CHECK(r(APIC_TIMER_CCR), 70u);
	CHECK(r(APIC_TIMER_ICR), 100u);
	CHECK(apic_model_timer_deadline(c), t0 + 100);
	c->cycle = t0 + 100;
	apic_model_timer_fire(c);
	CHECK(apic_model_timer_deadline(c), t0 + 200);
	/* A one-shot count that reached 0 stays 0 when the mode turns periodic. */
	w(APIC_LVT_TIMER, APIC_LVT_TIMER_ONESHOT | 0x42);
	t0 = c->cycle;
	w(APIC_TIMER_ICR, 5);
	c->cycle = t0 + 5;
	apic_model_timer_fire(c);
	w(APIC_LVT_TIMER, APIC_LVT_TIMER_PERIODIC | 0x42);
	CHECK(r(APIC_TIMER_CCR), 0u);
	CHECK(apic_model_timer_deadline(c), UINT64_MAX);
	/* A TDCR write mid-count goes on from the current count at the new rate. */
	w(APIC_LVT_TIMER, APIC_LVT_TIMER_ONESHOT | 0x42);
	t0 = c->cycle;
	w(APIC_TIMER_ICR, 100);
	c->cycle = t0 + 40;
	w(APIC_TIMER_DCR, 0x0);
	CHECK(r(APIC_TIMER_CCR), 60u);
	CHECK(apic_model_timer_deadline(c), t0 + 40 + 120);
	c->cycle = t0 + 50;
	CHECK(r(APIC_TIMER_CCR), 55u);
}

static void test_mode_changes(void **state)
{
	(void)state;
	apic_run(1, body_mode_changes);
}

static void body_tsc_deadline(void)
{
	uint64_t v, d;

	setup();
	/* Outside TSC-deadline mode the MSR reads 0 and writes are ignored. */
	w(APIC_LVT_TIMER, APIC_LVT_TIMER_ONESHOT | 0x43);
	CHECK(apic_model_wrmsr(c, MSR_IA32_TSC_DEADLINE, c->cycle + 100), ARCH_OK);
	CHECK(apic_model_rdmsr(c, MSR_IA32_TSC_DEADLINE, &v), ARCH_OK);
	CHECK(v, 0u);
	CHECK(apic_model_timer_deadline(c), UINT64_MAX);
	w(APIC_LVT_TIMER, APIC_LVT_TIMER_TSC_DEADLINE | 0x43);
	CHECK(r(APIC_LVT_TIMER), APIC_LVT_TIMER_TSC_DEADLINE | 0x43);
	d = c->cycle + 100;
	apic_model_wrmsr(c, MSR_IA32_TSC_DEADLINE, d);
	apic_model_rdmsr(c, MSR_IA32_TSC_DEADLINE, &v);
	CHECK(v, d);
	CHECK(apic_model_timer_deadline(c), d);
	/* TMICT writes are ignored and TMCCT reads 0 in this mode. */
	w(APIC_TIMER_ICR, 50);
	CHECK(r(APIC_TIMER_ICR), 0u);
	CHECK(r(APIC_TIMER_CCR), 0u);
	c->cycle = d - 1;
	apic_model_timer_fire(c);
	CHECK(vec_bit(c, APIC_IRR, 0x43), 0);
	c->cycle = d;
	apic_model_timer_fire(c);
	CHECK(vec_bit(c, APIC_IRR, 0x43), 1);
	/* Fired: the MSR reads 0 and the timer is disarmed. */
	apic_model_rdmsr(c, MSR_IA32_TSC_DEADLINE, &v);
	CHECK(v, 0u);
	CHECK(apic_model_timer_deadline(c), UINT64_MAX);
	/* A deadline already reached fires at once: exactly one interrupt. */
	clear_irr();
	apic_model_wrmsr(c, MSR_IA32_TSC_DEADLINE, c->cycle);
	CHECK(vec_bit(c, APIC_IRR, 0x43), 1);
	apic_model_rdmsr(c, MSR_IA32_TSC_DEADLINE, &v);
	CHECK(v, 0u);
	/* Writing 0 disarms. */
	apic_model_wrmsr(c, MSR_IA32_TSC_DEADLINE, c->cycle + 10);
	apic_model_wrmsr(c, MSR_IA32_TSC_DEADLINE, 0);
	CHECK(apic_model_timer_deadline(c), UINT64_MAX);
	/* Leaving the mode disarms; so does entering it. */
	apic_model_wrmsr(c, MSR_IA32_TSC_DEADLINE, c->cycle + 10);
	w(APIC_LVT_TIMER, APIC_LVT_TIMER_ONESHOT | 0x43);
	CHECK(apic_model_timer_deadline(c), UINT64_MAX);
	w(APIC_LVT_TIMER, APIC_LVT_TIMER_TSC_DEADLINE | 0x43);
	apic_model_rdmsr(c, MSR_IA32_TSC_DEADLINE, &v);
	CHECK(v, 0u);
	w(APIC_LVT_TIMER, APIC_LVT_TIMER_ONESHOT | 0x43);
	w(APIC_TIMER_ICR, 100);
	w(APIC_LVT_TIMER, APIC_LVT_TIMER_TSC_DEADLINE | 0x43);
	CHECK(r(APIC_TIMER_ICR), 0u);
	CHECK(apic_model_timer_deadline(c), UINT64_MAX);
	/* The host reaches the MSR through arch_rdmsr/arch_wrmsr. */
	CHECK(arch_wrmsr(MSR_IA32_TSC_DEADLINE, UINT64_MAX - 1), ARCH_OK);
	CHECK(arch_rdmsr(MSR_IA32_TSC_DEADLINE, &v), ARCH_OK);
	CHECK(v, UINT64_MAX - 1);
}

static void test_tsc_deadline(void **state)
{
	(void)state;
	apic_run(1, body_tsc_deadline);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_oneshot),
		cmocka_unit_test(test_divide),
		cmocka_unit_test(test_periodic),
		cmocka_unit_test(test_mode_changes),
		cmocka_unit_test(test_tsc_deadline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
