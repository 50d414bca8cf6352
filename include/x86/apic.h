/* SPDX-License-Identifier: MIT */
/*
 * Local APIC registers and fields (SDM vol. 3 chapter 11; AMD APM vol. 2
 * chapter 16). Offsets are those of the xAPIC page; in x2APIC mode the
 * register at offset o is MSR 800h + o / 16. Freestanding; for every part
 * of vxemu.
 */
#ifndef X86_APIC_H
#define X86_APIC_H

#define APIC_DEFAULT_BASE 0xfee00000ull

#define APIC_ID      0x020u
#define APIC_VERSION 0x030u
#define APIC_TPR     0x080u
#define APIC_APR     0x090u
#define APIC_PPR     0x0a0u
#define APIC_EOI     0x0b0u
#define APIC_LDR     0x0d0u
#define APIC_DFR     0x0e0u
#define APIC_SVR     0x0f0u
#define APIC_ISR     0x100u /* eight registers, 0x10 apart */
#define APIC_TMR     0x180u
#define APIC_IRR     0x200u
#define APIC_ESR     0x280u
#define APIC_LVT_CMCI 0x2f0u
#define APIC_ICR_LOW  0x300u
#define APIC_ICR_HIGH 0x310u
#define APIC_LVT_TIMER 0x320u
#define APIC_LVT_THERMAL 0x330u
#define APIC_LVT_PMC 0x340u
#define APIC_LVT_LINT0 0x350u
#define APIC_LVT_LINT1 0x360u
#define APIC_LVT_ERROR 0x370u
#define APIC_TIMER_ICR 0x380u
#define APIC_TIMER_CCR 0x390u
#define APIC_TIMER_DCR 0x3e0u
#define APIC_SELF_IPI  0x3f0u /* x2APIC only (MSR 83Fh) */
#define APIC_RRD       0x0c0u /* remote read (xAPIC only) */

/* x2APIC: the register at xAPIC offset o is this MSR (§11.12.1.2). */
#define APIC_X2APIC_MSR(o) (0x800u + ((unsigned)(o) >> 4))
#define APIC_X2APIC_MSR_FIRST 0x800u
#define APIC_X2APIC_MSR_LAST  0x8ffu
#define APIC_X2APIC_BROADCAST 0xffffffffu
#define APIC_XAPIC_BROADCAST  0xffu

/* The register of a 256-bit set (ISR, TMR, IRR) that holds vector v, and its bit. */
#define APIC_VECTOR_REG(base, v) ((base) + 0x10u * ((unsigned)(v) / 32u))
#define APIC_VECTOR_BIT(v) (1u << ((unsigned)(v) % 32u))

/* SVR (§11.9) */
#define APIC_SVR_VECTOR_MASK 0xffu
#define APIC_SVR_ENABLE (1u << 8)
#define APIC_SVR_FOCUS_DISABLE (1u << 9)

/* DFR models (§11.6.2.2): bits 31:28 */
#define APIC_DFR_FLAT    0xffffffffu
#define APIC_DFR_CLUSTER 0x0fffffffu

/* ESR (§11.5.3) */
#define APIC_ESR_SEND_ILLEGAL_VECTOR (1u << 5)
#define APIC_ESR_RECV_ILLEGAL_VECTOR (1u << 6)
#define APIC_ESR_ILLEGAL_REGISTER    (1u << 7)

/* ICR low (§11.6.1) */
#define APIC_ICR_VECTOR_MASK 0xffu
#define APIC_DM_FIXED   (0u << 8)
#define APIC_DM_LOWEST  (1u << 8)
#define APIC_DM_SMI     (2u << 8)
#define APIC_DM_NMI     (4u << 8)
#define APIC_DM_INIT    (5u << 8)
#define APIC_DM_STARTUP (6u << 8)
#define APIC_DM_EXTINT  (7u << 8)
#define APIC_DM_MASK    (7u << 8)
#define APIC_DEST_LOGICAL (1u << 11)
#define APIC_ICR_BUSY   (1u << 12)
#define APIC_INT_ASSERT (1u << 14)
#define APIC_INT_LEVELTRIG (1u << 15)
#define APIC_DEST_SELF      (1u << 18)
#define APIC_DEST_ALLINC    (2u << 18)
#define APIC_DEST_ALLBUT    (3u << 18)
#define APIC_DEST_SHORTHAND_MASK (3u << 18)
#define APIC_DEST_MODE_LOGICAL APIC_DEST_LOGICAL
#define APIC_ICR_REMOTE_READ_MASK (3u << 16)

/* LVT (§11.5.1) */
#define APIC_LVT_VECTOR_MASK 0xffu
#define APIC_LVT_DM_MASK (7u << 8)
#define APIC_LVT_SEND_PENDING (1u << 12)
#define APIC_LVT_POLARITY (1u << 13)
#define APIC_LVT_REMOTE_IRR (1u << 14)
#define APIC_LVT_LEVELTRIG (1u << 15)
#define APIC_LVT_MASKED (1u << 16)
#define APIC_LVT_TIMER_MODE_MASK     (3u << 17)
#define APIC_LVT_TIMER_ONESHOT       (0u << 17)
#define APIC_LVT_TIMER_PERIODIC      (1u << 17)
#define APIC_LVT_TIMER_TSC_DEADLINE  (2u << 17)

/* TDCR (§11.5.4): bits 3, 1:0; 1011b is divide by 1. */
#define APIC_TDCR_MASK 0xbu
#define APIC_TDCR_DIV_1 0xbu

#endif
