/* SPDX-License-Identifier: MIT */
/*
 * Minimal guests for the engine tests: a VMCB and memory for a guest in
 * long, 32-bit protected or real mode, built directly (no hypervisor core),
 * so a failure here points at the model and nothing else.
 */
#ifndef TESTS_EMU_GUEST_UTIL_H
#define TESTS_EMU_GUEST_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "vx/arch.h"
#include "x86/vmcb.h"

struct tguest {
	uint64_t vmcb_pa;
	struct vmcb *vmcb;
	struct arch_gprs gprs;
	uint64_t code_pa;
	uint64_t pml4_pa;  /* long mode: identity map of the first 4 GiB */
	uint64_t gdt_pa, idt_pa;
	uint64_t stack_top;
};

/* EFER.SVME and VM_HSAVE_PA on the calling processor. */
void tg_svm_on(void);
void tg_long(struct tguest *g, const void *code, size_t len);
void tg_prot32(struct tguest *g, const void *code, size_t len);
void tg_real(struct tguest *g, const void *code, size_t len);
/* Long mode, after tg_long: every page a user page, and the guest at CPL 3
 * in a 64-bit code segment 0x1b with data 0x23 (GDT entries 3 and 4). */
void tg_user(struct tguest *g);
/* Long mode: an IDT gate for vector -> handler (a guest-linear address). */
void tg_idt_gate(struct tguest *g, uint8_t vector, uint64_t handler);
arch_fault_t tg_run(struct tguest *g);

struct emu_config;
/*
 * Runs fn as host code on a fresh machine built from cfg (the default
 * configuration when cfg is NULL) and returns emu_machine_run's result.
 * The machine's error message goes to err when given, else to the test log
 * on failure. A machine that cannot be built fails the test outright.
 */
int tg_machine_run(const struct emu_config *cfg, void (*fn)(void *), char *err, size_t errlen);

#endif
