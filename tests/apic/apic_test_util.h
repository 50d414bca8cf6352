/* SPDX-License-Identifier: MIT */
/*
 * What the APIC unit tests share. A test body runs on processor 0 of a
 * model machine and records each check (value seen, value the SDM asks
 * for); the cmocka side compares them after the run, outside the
 * processor's coroutine, and names the line of every mismatch.
 */
#ifndef TESTS_APIC_UTIL_H
#define TESTS_APIC_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "apic-model/apic_internal.h"
#include "svm-model/svm_model.h"
#include "x86/apic.h"
#include "x86/cpu.h"
#include "x86/msr.h"

#define GP ARCH_FAULT(X86_VEC_GP)

void apic_check(int line, const char *what, uint64_t got, uint64_t want);
#define CHECK(got, want) apic_check(__LINE__, #got, (uint64_t)(got), (uint64_t)(want))

/* Run body on processor 0 of a machine of ncpus, then verify every check. */
void apic_run(uint32_t ncpus, void (*body)(void));

/* Processor i of the running machine. */
struct emu_cpu *apic_cpu(uint32_t i);
/* A register through the interface the APIC's mode provides (no clock cost). */
uint32_t reg(struct emu_cpu *cpu, uint32_t off);
void reg_set(struct emu_cpu *cpu, uint32_t off, uint32_t v);
/* Whether vector v is set in the ISR, TMR or IRR (base) of cpu. */
bool vec_bit(struct emu_cpu *cpu, uint32_t base, uint8_t v);
/* Software-enable the APIC of cpu (SVR bit 8, spurious vector FFh). */
void sw_enable(struct emu_cpu *cpu);
/* IA32_APIC_BASE of cpu to xAPIC -> x2APIC. */
void to_x2apic(struct emu_cpu *cpu);
/* The count of vectors set in cpu's IRR. */
int irr_count(struct emu_cpu *cpu);
/* HV_EV_APIC_ACCEPT events of the run so far, and the latest one. */
unsigned accepts(void);
const struct hv_event *last_accept(void);

#endif
