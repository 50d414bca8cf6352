/* SPDX-License-Identifier: MIT */
/*
 * The Virtual Machine Control Block, with the layout of AMD APM vol. 2
 * appendix B ("Layout of VMCB"). Defined once and shared by the hypervisor
 * core, the SVM model and the hardware image: the model reads and writes the
 * same bytes that silicon does. Every offset is checked at compile time.
 * Freestanding.
 */
#ifndef X86_VMCB_H
#define X86_VMCB_H

#include <stddef.h>
#include <stdint.h>

/* intercepts[] word indices and bits (APM B-1, offsets 000h-017h) */
enum vmcb_intercept_word {
	VMCB_INTERCEPT_CR = 0,   /* bits 0-15 CRn read, 16-31 CRn write */
	VMCB_INTERCEPT_DR = 1,   /* bits 0-15 DRn read, 16-31 DRn write */
	VMCB_INTERCEPT_EXC = 2,  /* bit n: exception vector n */
	VMCB_INTERCEPT_MISC1 = 3,
	VMCB_INTERCEPT_MISC2 = 4,
	VMCB_INTERCEPT_MISC3 = 5,
	VMCB_INTERCEPT_WORDS = 6,
};

/* intercepts[3] (offset 00Ch) */
#define INTERCEPT_INTR          (1u << 0)
#define INTERCEPT_NMI           (1u << 1)
#define INTERCEPT_SMI           (1u << 2)
#define INTERCEPT_INIT          (1u << 3)
#define INTERCEPT_VINTR         (1u << 4)
#define INTERCEPT_SELECTIVE_CR0 (1u << 5)
#define INTERCEPT_STORE_IDTR    (1u << 6)
#define INTERCEPT_STORE_GDTR    (1u << 7)
#define INTERCEPT_STORE_LDTR    (1u << 8)
#define INTERCEPT_STORE_TR      (1u << 9)
#define INTERCEPT_LOAD_IDTR     (1u << 10)
#define INTERCEPT_LOAD_GDTR     (1u << 11)
#define INTERCEPT_LOAD_LDTR     (1u << 12)
#define INTERCEPT_LOAD_TR       (1u << 13)
#define INTERCEPT_RDTSC         (1u << 14)
#define INTERCEPT_RDPMC         (1u << 15)
#define INTERCEPT_PUSHF         (1u << 16)
#define INTERCEPT_POPF          (1u << 17)
#define INTERCEPT_CPUID         (1u << 18)
#define INTERCEPT_RSM           (1u << 19)
#define INTERCEPT_IRET          (1u << 20)
#define INTERCEPT_INTN          (1u << 21)
#define INTERCEPT_INVD          (1u << 22)
#define INTERCEPT_PAUSE         (1u << 23)
#define INTERCEPT_HLT           (1u << 24)
#define INTERCEPT_INVLPG        (1u << 25)
#define INTERCEPT_INVLPGA       (1u << 26)
#define INTERCEPT_IOIO_PROT     (1u << 27)
#define INTERCEPT_MSR_PROT      (1u << 28)
#define INTERCEPT_TASK_SWITCH   (1u << 29)
#define INTERCEPT_FERR_FREEZE   (1u << 30)
#define INTERCEPT_SHUTDOWN      (1u << 31)

/* intercepts[4] (offset 010h) */
#define INTERCEPT_VMRUN   (1u << 0)
#define INTERCEPT_VMMCALL (1u << 1)
#define INTERCEPT_VMLOAD  (1u << 2)
#define INTERCEPT_VMSAVE  (1u << 3)
#define INTERCEPT_STGI    (1u << 4)
#define INTERCEPT_CLGI    (1u << 5)
#define INTERCEPT_SKINIT  (1u << 6)
#define INTERCEPT_RDTSCP  (1u << 7)
#define INTERCEPT_ICEBP   (1u << 8)
#define INTERCEPT_WBINVD  (1u << 9)
#define INTERCEPT_MONITOR (1u << 10)
#define INTERCEPT_MWAIT   (1u << 11)
#define INTERCEPT_MWAIT_COND (1u << 12)
#define INTERCEPT_XSETBV  (1u << 13)
#define INTERCEPT_RDPRU   (1u << 14)
#define INTERCEPT_EFER_WRITE_TRAP (1u << 15)

/* int_ctl (offset 060h) */
#define V_TPR_MASK          0x0000000fu
#define V_IRQ_MASK          (1u << 8)
#define V_GIF_MASK          (1u << 9)
#define V_NMI_PENDING_MASK  (1u << 11) /* "V_NMI" */
#define V_NMI_BLOCKING_MASK (1u << 12) /* "V_NMI_MASK" */
#define V_INTR_PRIO_SHIFT   16
#define V_INTR_PRIO_MASK    (0xfu << V_INTR_PRIO_SHIFT)
#define V_IGN_TPR_MASK      (1u << 20)
#define V_INTR_MASKING_MASK (1u << 24)
#define V_GIF_ENABLE_MASK   (1u << 25)
#define V_NMI_ENABLE_MASK   (1u << 26)
#define X2APIC_MODE_MASK    (1u << 30)
#define AVIC_ENABLE_MASK    (1u << 31)
/* The manual's short names for the vNMI bits. */
#define V_NMI       V_NMI_PENDING_MASK
#define V_NMI_MASK  V_NMI_BLOCKING_MASK
#define V_NMI_ENABLE V_NMI_ENABLE_MASK

/* int_state (offset 068h) */
#define SVM_INTERRUPT_SHADOW_MASK (1u << 0)
#define SVM_GUEST_INTERRUPT_MASK  (1u << 1)

/* nested_ctl (offset 090h) */
#define SVM_NESTED_CTL_NP_ENABLE     (1ull << 0)
#define SVM_NESTED_CTL_SEV_ENABLE    (1ull << 1)
#define SVM_NESTED_CTL_SEV_ES_ENABLE (1ull << 2)

/* tlb_ctl (offset 05Ch) */
#define TLB_CONTROL_DO_NOTHING         0
#define TLB_CONTROL_FLUSH_ALL_ASID     1
#define TLB_CONTROL_FLUSH_ASID         3
#define TLB_CONTROL_FLUSH_ASID_LOCAL   7

/* EVENTINJ (0A8h) and EXITINTINFO (088h) share one format (APM §15.20). */
#define SVM_EVTINJ_VEC_MASK   0xffu
#define SVM_EVTINJ_TYPE_SHIFT 8
#define SVM_EVTINJ_TYPE_MASK  (7u << SVM_EVTINJ_TYPE_SHIFT)
#define SVM_EVTINJ_TYPE_INTR  (0u << SVM_EVTINJ_TYPE_SHIFT)
#define SVM_EVTINJ_TYPE_NMI   (2u << SVM_EVTINJ_TYPE_SHIFT)
#define SVM_EVTINJ_TYPE_EXEPT (3u << SVM_EVTINJ_TYPE_SHIFT)
#define SVM_EVTINJ_TYPE_SOFT  (4u << SVM_EVTINJ_TYPE_SHIFT)
#define SVM_EVTINJ_VALID_ERR  (1u << 11)
#define SVM_EVTINJ_VALID      (1u << 31)
#define SVM_EVTINJ_RESERVED_BITS (~(0xffu | 0x700u | 0x800u | 0x80000000u))
#define SVM_EXITINTINFO_VEC_MASK   SVM_EVTINJ_VEC_MASK
#define SVM_EXITINTINFO_TYPE_MASK  SVM_EVTINJ_TYPE_MASK
#define SVM_EXITINTINFO_TYPE_INTR  SVM_EVTINJ_TYPE_INTR
#define SVM_EXITINTINFO_TYPE_NMI   SVM_EVTINJ_TYPE_NMI
#define SVM_EXITINTINFO_TYPE_EXEPT SVM_EVTINJ_TYPE_EXEPT
#define SVM_EXITINTINFO_TYPE_SOFT  SVM_EVTINJ_TYPE_SOFT
#define SVM_EXITINTINFO_VALID      SVM_EVTINJ_VALID
#define SVM_EXITINTINFO_VALID_ERR  SVM_EVTINJ_VALID_ERR

struct vmcb_control_area {
	uint32_t intercepts[VMCB_INTERCEPT_WORDS]; /* 000h */
	uint8_t reserved_1[0x3c - 0x18];
	uint16_t pause_filter_thresh;              /* 03Ch */
	uint16_t pause_filter_count;               /* 03Eh */
	uint64_t iopm_base_pa;                     /* 040h */
	uint64_t msrpm_base_pa;                    /* 048h */
	uint64_t tsc_offset;                       /* 050h */
	uint32_t asid;                             /* 058h */
	uint8_t tlb_ctl;                           /* 05Ch */
	uint8_t erap_ctl;                          /* 05Dh */
	uint8_t reserved_2[2];
	uint32_t int_ctl;                          /* 060h */
	uint32_t int_vector;                       /* 064h */
	uint32_t int_state;                        /* 068h */
	uint8_t reserved_3[4];
	uint64_t exit_code;                        /* 070h */
	uint64_t exit_info_1;                      /* 078h */
	uint64_t exit_info_2;                      /* 080h */
	uint32_t exit_int_info;                    /* 088h */
	uint32_t exit_int_info_err;                /* 08Ch */
	uint64_t nested_ctl;                       /* 090h */
	uint64_t avic_vapic_bar;                   /* 098h */
	uint64_t ghcb_gpa;                         /* 0A0h */
	uint32_t event_inj;                        /* 0A8h */
	uint32_t event_inj_err;                    /* 0ACh */
	uint64_t nested_cr3;                       /* 0B0h */
	uint64_t virt_ext;                         /* 0B8h */
	uint32_t clean;                            /* 0C0h */
	uint32_t reserved_5;
	uint64_t next_rip;                         /* 0C8h */
	uint8_t insn_len;                          /* 0D0h */
	uint8_t insn_bytes[15];                    /* 0D1h */
	uint64_t avic_backing_page;                /* 0E0h */
	uint8_t reserved_6[8];
	uint64_t avic_logical_id;                  /* 0F0h */
	uint64_t avic_physical_id;                 /* 0F8h */
	uint8_t reserved_7[8];
	uint64_t vmsa_pa;                          /* 108h */
	uint8_t reserved_8[0x120 - 0x110];
	uint16_t bus_lock_counter;                 /* 120h */
	uint8_t reserved_9[0x138 - 0x122];
	uint64_t allowed_sev_features;             /* 138h */
	uint64_t guest_sev_features;               /* 140h */
	uint8_t reserved_10[0x3e0 - 0x148];
	uint8_t reserved_sw[32];                   /* 3E0h: for the hypervisor */
};

struct vmcb_seg {
	uint16_t selector;
	uint16_t attrib;
	uint32_t limit;
	uint64_t base;
};

struct vmcb_save_area {
	struct vmcb_seg es;                        /* 000h */
	struct vmcb_seg cs;                        /* 010h */
	struct vmcb_seg ss;                        /* 020h */
	struct vmcb_seg ds;                        /* 030h */
	struct vmcb_seg fs;                        /* 040h */
	struct vmcb_seg gs;                        /* 050h */
	struct vmcb_seg gdtr;                      /* 060h */
	struct vmcb_seg ldtr;                      /* 070h */
	struct vmcb_seg idtr;                      /* 080h */
	struct vmcb_seg tr;                        /* 090h */
	uint8_t reserved_1[0xca - 0xa0];
	uint8_t vmpl;                              /* 0CAh */
	uint8_t cpl;                               /* 0CBh */
	uint8_t reserved_2[4];
	uint64_t efer;                             /* 0D0h */
	uint8_t reserved_3[0x148 - 0xd8];
	uint64_t cr4;                              /* 148h */
	uint64_t cr3;                              /* 150h */
	uint64_t cr0;                              /* 158h */
	uint64_t dr7;                              /* 160h */
	uint64_t dr6;                              /* 168h */
	uint64_t rflags;                           /* 170h */
	uint64_t rip;                              /* 178h */
	uint8_t reserved_4[0x1d8 - 0x180];
	uint64_t rsp;                              /* 1D8h */
	uint64_t s_cet;                            /* 1E0h */
	uint64_t ssp;                              /* 1E8h */
	uint64_t isst_addr;                        /* 1F0h */
	uint64_t rax;                              /* 1F8h */
	uint64_t star;                             /* 200h */
	uint64_t lstar;                            /* 208h */
	uint64_t cstar;                            /* 210h */
	uint64_t sfmask;                           /* 218h */
	uint64_t kernel_gs_base;                   /* 220h */
	uint64_t sysenter_cs;                      /* 228h */
	uint64_t sysenter_esp;                     /* 230h */
	uint64_t sysenter_eip;                     /* 238h */
	uint64_t cr2;                              /* 240h */
	uint8_t reserved_5[0x268 - 0x248];
	uint64_t g_pat;                            /* 268h */
	uint64_t dbgctl;                           /* 270h */
	uint64_t br_from;                          /* 278h */
	uint64_t br_to;                            /* 280h */
	uint64_t last_excp_from;                   /* 288h */
	uint64_t last_excp_to;                     /* 290h */
	uint8_t reserved_6[0x2e0 - 0x298];
	uint64_t spec_ctrl;                        /* 2E0h */
};

struct vmcb {
	struct vmcb_control_area control;          /* 000h */
	struct vmcb_save_area save;                /* 400h */
	uint8_t reserved[4096 - 0x400 - 0x2e8];
};

#define VMCB_CHECK(type, field, off) \
	_Static_assert(offsetof(struct type, field) == (off), #type "." #field " offset")

VMCB_CHECK(vmcb_control_area, intercepts, 0x000);
VMCB_CHECK(vmcb_control_area, pause_filter_thresh, 0x03c);
VMCB_CHECK(vmcb_control_area, pause_filter_count, 0x03e);
VMCB_CHECK(vmcb_control_area, iopm_base_pa, 0x040);
VMCB_CHECK(vmcb_control_area, msrpm_base_pa, 0x048);
VMCB_CHECK(vmcb_control_area, tsc_offset, 0x050);
VMCB_CHECK(vmcb_control_area, asid, 0x058);
VMCB_CHECK(vmcb_control_area, tlb_ctl, 0x05c);
VMCB_CHECK(vmcb_control_area, erap_ctl, 0x05d);
VMCB_CHECK(vmcb_control_area, int_ctl, 0x060);
VMCB_CHECK(vmcb_control_area, int_vector, 0x064);
VMCB_CHECK(vmcb_control_area, int_state, 0x068);
VMCB_CHECK(vmcb_control_area, exit_code, 0x070);
VMCB_CHECK(vmcb_control_area, exit_info_1, 0x078);
VMCB_CHECK(vmcb_control_area, exit_info_2, 0x080);
VMCB_CHECK(vmcb_control_area, exit_int_info, 0x088);
VMCB_CHECK(vmcb_control_area, exit_int_info_err, 0x08c);
VMCB_CHECK(vmcb_control_area, nested_ctl, 0x090);
VMCB_CHECK(vmcb_control_area, avic_vapic_bar, 0x098);
VMCB_CHECK(vmcb_control_area, ghcb_gpa, 0x0a0);
VMCB_CHECK(vmcb_control_area, event_inj, 0x0a8);
VMCB_CHECK(vmcb_control_area, event_inj_err, 0x0ac);
VMCB_CHECK(vmcb_control_area, nested_cr3, 0x0b0);
VMCB_CHECK(vmcb_control_area, virt_ext, 0x0b8);
VMCB_CHECK(vmcb_control_area, clean, 0x0c0);
VMCB_CHECK(vmcb_control_area, next_rip, 0x0c8);
VMCB_CHECK(vmcb_control_area, insn_len, 0x0d0);
VMCB_CHECK(vmcb_control_area, insn_bytes, 0x0d1);
VMCB_CHECK(vmcb_control_area, avic_backing_page, 0x0e0);
VMCB_CHECK(vmcb_control_area, avic_logical_id, 0x0f0);
VMCB_CHECK(vmcb_control_area, avic_physical_id, 0x0f8);
VMCB_CHECK(vmcb_control_area, vmsa_pa, 0x108);
VMCB_CHECK(vmcb_control_area, bus_lock_counter, 0x120);
VMCB_CHECK(vmcb_control_area, allowed_sev_features, 0x138);
VMCB_CHECK(vmcb_control_area, guest_sev_features, 0x140);
VMCB_CHECK(vmcb_control_area, reserved_sw, 0x3e0);
_Static_assert(sizeof(struct vmcb_control_area) == 0x400, "VMCB control area size");
_Static_assert(sizeof(struct vmcb_seg) == 16, "VMCB segment size");

VMCB_CHECK(vmcb_save_area, es, 0x000);
VMCB_CHECK(vmcb_save_area, cs, 0x010);
VMCB_CHECK(vmcb_save_area, ss, 0x020);
VMCB_CHECK(vmcb_save_area, ds, 0x030);
VMCB_CHECK(vmcb_save_area, fs, 0x040);
VMCB_CHECK(vmcb_save_area, gs, 0x050);
VMCB_CHECK(vmcb_save_area, gdtr, 0x060);
VMCB_CHECK(vmcb_save_area, ldtr, 0x070);
VMCB_CHECK(vmcb_save_area, idtr, 0x080);
VMCB_CHECK(vmcb_save_area, tr, 0x090);
VMCB_CHECK(vmcb_save_area, vmpl, 0x0ca);
VMCB_CHECK(vmcb_save_area, cpl, 0x0cb);
VMCB_CHECK(vmcb_save_area, efer, 0x0d0);
VMCB_CHECK(vmcb_save_area, cr4, 0x148);
VMCB_CHECK(vmcb_save_area, cr3, 0x150);
VMCB_CHECK(vmcb_save_area, cr0, 0x158);
VMCB_CHECK(vmcb_save_area, dr7, 0x160);
VMCB_CHECK(vmcb_save_area, dr6, 0x168);
VMCB_CHECK(vmcb_save_area, rflags, 0x170);
VMCB_CHECK(vmcb_save_area, rip, 0x178);
VMCB_CHECK(vmcb_save_area, rsp, 0x1d8);
VMCB_CHECK(vmcb_save_area, s_cet, 0x1e0);
VMCB_CHECK(vmcb_save_area, ssp, 0x1e8);
VMCB_CHECK(vmcb_save_area, isst_addr, 0x1f0);
VMCB_CHECK(vmcb_save_area, rax, 0x1f8);
VMCB_CHECK(vmcb_save_area, star, 0x200);
VMCB_CHECK(vmcb_save_area, lstar, 0x208);
VMCB_CHECK(vmcb_save_area, cstar, 0x210);
VMCB_CHECK(vmcb_save_area, sfmask, 0x218);
VMCB_CHECK(vmcb_save_area, kernel_gs_base, 0x220);
VMCB_CHECK(vmcb_save_area, sysenter_cs, 0x228);
VMCB_CHECK(vmcb_save_area, sysenter_esp, 0x230);
VMCB_CHECK(vmcb_save_area, sysenter_eip, 0x238);
VMCB_CHECK(vmcb_save_area, cr2, 0x240);
VMCB_CHECK(vmcb_save_area, g_pat, 0x268);
VMCB_CHECK(vmcb_save_area, dbgctl, 0x270);
VMCB_CHECK(vmcb_save_area, br_from, 0x278);
VMCB_CHECK(vmcb_save_area, br_to, 0x280);
VMCB_CHECK(vmcb_save_area, last_excp_from, 0x288);
VMCB_CHECK(vmcb_save_area, last_excp_to, 0x290);
VMCB_CHECK(vmcb_save_area, spec_ctrl, 0x2e0);
_Static_assert(sizeof(struct vmcb_save_area) == 0x2e8, "VMCB save area size");
VMCB_CHECK(vmcb, save, 0x400);
_Static_assert(sizeof(struct vmcb) == 4096, "VMCB is one page");

/* Sizes of the permission maps (APM §15.10.1, §15.11) */
#define SVM_IOPM_SIZE  (12u * 1024u + 1u) /* 3 pages are allocated */
#define SVM_MSRPM_SIZE (8u * 1024u)       /* 2 pages */

#endif
