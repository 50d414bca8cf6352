/* SPDX-License-Identifier: MIT */
/*
 * Shared by the guest payloads (.S) and the scenarios (C): how a payload is
 * delimited and exported, and the values guests put in RAX before VMMCALL so
 * the host knows which point they reached. Only preprocessor definitions, so
 * that the assembler can read it too; numbers carry no C suffix (u, UL),
 * which GNU as ignores and clang's integrated assembler rejects.
 *
 * A payload is position-independent code between <name>_start and
 * <name>_end (copied as bytes into guest memory); other exported labels are
 * <name>_<label>, and C turns them into offsets with label - start.
 */
#ifndef CONF_GUEST_PAYLOAD_H
#define CONF_GUEST_PAYLOAD_H

/* RAX values at the guests' VMMCALLs. */
#define MARK_MAIN1 0x4d41494e  /* "MAIN": the main code's first stop */
#define MARK_MAIN2 0x4d41494f  /* the main code's second stop */
#define MARK_DONE  0x444f4e45  /* "DONE": the main code's last stop */
#define MARK_NMI   0x00004e4d  /* "NM": the counting NMI handler */
#define MARK_AFTER 0x41465452  /* "AFTR": after an instruction under test */
#define MARK_IRQ   0x00495251  /* "IRQ": an interrupt handler, before its EOI */
#define MARK_EOI   0x00454f49  /* "EOI": the same handler, after its EOI */
#define MARK_SYNC  0x53594e43  /* "SYNC": let the host look at other vCPUs */
#define MARK_TIMEOUT 0x54494d45 /* "TIME": a bounded guest wait ran out */
/* "APIC": RBX = where the host writes each vCPU's processor's APIC ID (u32 each) */
#define MARK_APIC_IDS 0x41504943

/* Assembler side. */
#define PAYLOAD_BEGIN(name)          \
	.section .rodata.vxpayload, "a"; \
	.balign 16;                  \
	.globl name##_start;         \
	name##_start:

#define PAYLOAD_LABEL(name, label) \
	.globl name##_##label;     \
	name##_##label:

#define PAYLOAD_END(name)  \
	.globl name##_end; \
	name##_end:        \
	.previous

#endif
