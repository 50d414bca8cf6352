/* SPDX-License-Identifier: MIT */
/*
 * The checks VMLAUNCH and VMRESUME make before they enter the guest (SDM
 * vol. 3C chapter 27 "VM Entries", 26 in older editions), one row each:
 * an identifier, what a broken rule makes of the entry, the section, and
 * the rule as a legal VMCS satisfies it. The rows are in the order the model checks them;
 * the model reports the first one broken (vmx-model/checks.c).
 *
 * What a broken rule makes of the entry (its class):
 *   CTL    VMfailValid(7), VM entry with invalid control field(s)   §27.2.1
 *   HOST   VMfailValid(8), VM entry with invalid host-state field(s) §27.2.2-4
 *   GUEST  VM-entry failure, exit reason 33 | bit 31, qualification 0 §27.3
 *   PDPTE  the same with qualification 2 (the PDPTEs)               §27.3.1.6
 *   NMI    the same with qualification 3 (NMI under blocking by STI) §27.3.1.5
 *   LINK   the same with qualification 4 (the VMCS link pointer)    §27.3.1.5
 *   MSR    VM-entry failure, exit reason 34 | bit 31, the qualification the
 *          1-based number of the VM-entry MSR-load entry at fault    §27.4
 * "Usable" is a segment whose access rights have bit 16 clear; rules
 * quoting a control by name hold only where the control is 1.
 *
 * Who may include it: everyone.
 */
#ifndef X86_VMX_CHECKS_H
#define X86_VMX_CHECKS_H

#define VMX_ENTRY_CHECKS(X)                                                                        \
	/* §27.2.1.1 VM-execution control fields */                                                \
	X(PIN_CTLS, CTL, "27.2.1.1", "the pin-based controls are as the (TRUE) capability MSR allows") \
	X(PROC_CTLS, CTL, "27.2.1.1", "the primary processor-based controls are as the (TRUE) capability MSR allows") \
	X(PROC2_CTLS, CTL, "27.2.1.1",                                                            \
	  "with 'activate secondary controls', the secondary controls are as IA32_VMX_PROCBASED_CTLS2 allows") \
	X(CR3_TARGET_COUNT, CTL, "27.2.1.1", "the CR3-target count is at most IA32_VMX_MISC bits 24:16 (4)") \
	X(IO_BITMAP_A, CTL, "27.2.1.1",                                                           \
	  "with 'use I/O bitmaps', I/O bitmap A is 4-KByte aligned and within the physical-address width") \
	X(IO_BITMAP_B, CTL, "27.2.1.1",                                                           \
	  "with 'use I/O bitmaps', I/O bitmap B is 4-KByte aligned and within the physical-address width") \
	X(MSR_BITMAP, CTL, "27.2.1.1",                                                            \
	  "with 'use MSR bitmaps', the MSR bitmap is 4-KByte aligned and within the physical-address width") \
	X(NMI_EXITING_VIRTUAL_NMIS, CTL, "27.2.1.1", "'virtual NMIs' is 0 unless 'NMI exiting' is 1") \
	X(VIRTUAL_NMIS_NMI_WINDOW, CTL, "27.2.1.1", "'NMI-window exiting' is 0 unless 'virtual NMIs' is 1") \
	X(VPID_NONZERO, CTL, "27.2.1.1", "with 'enable VPID', the VPID is not 0")                  \
	X(EPTP_MEMTYPE, CTL, "27.2.1.1",                                                          \
	  "with 'enable EPT', the EPTP memory type (bits 2:0) is one IA32_VMX_EPT_VPID_CAP allows") \
	X(EPTP_WALK_LENGTH, CTL, "27.2.1.1", "with 'enable EPT', EPTP bits 5:3 are 3: a 4-level walk") \
	X(EPTP_AD, CTL, "27.2.1.1",                                                               \
	  "with 'enable EPT', EPTP bit 6 (accessed and dirty flags) is 0 unless IA32_VMX_EPT_VPID_CAP bit 21 is 1") \
	X(EPTP_RESERVED, CTL, "27.2.1.1",                                                         \
	  "with 'enable EPT', EPTP bits 11:7 and those beyond the physical-address width are 0")   \
	X(UNRESTRICTED_NEEDS_EPT, CTL, "27.2.1.1", "'unrestricted guest' is 0 unless 'enable EPT' is 1") \
	/* §27.2.1.2 VM-exit control fields */                                                     \
	X(EXIT_CTLS, CTL, "27.2.1.2", "the VM-exit controls are as the (TRUE) capability MSR allows") \
	X(EXIT_SAVE_PREEMPTION_TIMER, CTL, "27.2.1.2",                                            \
	  "'save VMX-preemption timer value' is 0 unless 'activate VMX-preemption timer' is 1")   \
	X(EXIT_MSR_STORE_ADDR, CTL, "27.2.1.2",                                                   \
	  "with a VM-exit MSR-store count, the list is 16-byte aligned and ends within the physical-address width") \
	X(EXIT_MSR_LOAD_ADDR, CTL, "27.2.1.2",                                                    \
	  "with a VM-exit MSR-load count, the list is 16-byte aligned and ends within the physical-address width") \
	/* §27.2.1.3 VM-entry control fields */                                                    \
	X(ENTRY_CTLS, CTL, "27.2.1.3", "the VM-entry controls are as the (TRUE) capability MSR allows") \
	X(INJ_TYPE, CTL, "27.2.1.3",                                                              \
	  "an injected event's type is not 1 (reserved) nor 7 (other event: no monitor trap flag)") \
	X(INJ_NMI_VECTOR, CTL, "27.2.1.3", "an injected NMI has vector 2")                        \
	X(INJ_EXCEPTION_VECTOR, CTL, "27.2.1.3", "an injected hardware exception has a vector of 31 or less") \
	X(INJ_ERRCODE_REAL_MODE, CTL, "27.2.1.3",                                                 \
	  "no error code is delivered with 'unrestricted guest' and guest CR0.PE 0")               \
	X(INJ_ERRCODE_VECTOR, CTL, "27.2.1.3",                                                    \
	  "an error code is delivered only with a hardware exception #DF, #TS, #NP, #SS, #GP, #PF or #AC") \
	X(INJ_ERRCODE_MISSING, CTL, "27.2.1.3",                                                   \
	  "an injected hardware exception #DF, #TS, #NP, #SS, #GP, #PF or #AC in protected mode delivers an error code") \
	X(INJ_RESERVED, CTL, "27.2.1.3", "bits 30:12 of the VM-entry interruption information are 0") \
	X(INJ_ERRCODE_HIGH, CTL, "27.2.1.3", "a delivered error code has bits 31:16 clear")        \
	X(INJ_INSTR_LEN, CTL, "27.2.1.3",                                                         \
	  "an injected software interrupt or (privileged) software exception has an instruction length of 1-15") \
	X(ENTRY_MSR_LOAD_ADDR, CTL, "27.2.1.3",                                                   \
	  "with a VM-entry MSR-load count, the list is 16-byte aligned and ends within the physical-address width") \
	/* §27.2.2 host control registers and MSRs */                                              \
	X(HOST_CR0_FIXED, HOST, "27.2.2", "host CR0 has the bits CR0_FIXED0 sets, and no bit CR0_FIXED1 clears") \
	X(HOST_CR4_FIXED, HOST, "27.2.2", "host CR4 has the bits CR4_FIXED0 sets, and no bit CR4_FIXED1 clears") \
	X(HOST_CR3_WIDTH, HOST, "27.2.2", "host CR3 has no bit set beyond the physical-address width") \
	X(HOST_SYSENTER_ESP_CANONICAL, HOST, "27.2.2", "the host IA32_SYSENTER_ESP is canonical") \
	X(HOST_SYSENTER_EIP_CANONICAL, HOST, "27.2.2", "the host IA32_SYSENTER_EIP is canonical") \
	X(HOST_PAT, HOST, "27.2.2",                                                               \
	  "with 'load IA32_PAT' on exit, each host PAT entry is a memory type (0, 1, 4, 5, 6 or 7)") \
	X(HOST_EFER_RESERVED, HOST, "27.2.2", "with 'load IA32_EFER' on exit, the host EFER's reserved bits are 0") \
	X(HOST_EFER_LMA_LME, HOST, "27.2.2",                                                      \
	  "with 'load IA32_EFER' on exit, host EFER.LMA and EFER.LME equal 'host address-space size'") \
	/* §27.2.3 host segment and descriptor-table registers */                                 \
	X(HOST_SEL_RPL_TI, HOST, "27.2.3", "host ES, CS, SS, DS, FS, GS and TR selectors have RPL 0 and TI 0") \
	X(HOST_CS_NONZERO, HOST, "27.2.3", "the host CS selector is not 0")                       \
	X(HOST_TR_NONZERO, HOST, "27.2.3", "the host TR selector is not 0")                       \
	X(HOST_SS_NONZERO, HOST, "27.2.3", "the host SS selector is not 0 unless 'host address-space size' is 1") \
	X(HOST_BASE_CANONICAL, HOST, "27.2.3", "host FS, GS, TR, GDTR and IDTR bases are canonical") \
	/* §27.2.4 address-space size */                                                           \
	X(HOST_ADDR_SIZE_LMA, HOST, "27.2.4", "in IA-32e mode (IA32_EFER.LMA 1), 'host address-space size' is 1") \
	X(NO_LMA_NO_IA32E_GUEST, HOST, "27.2.4", "outside IA-32e mode, 'IA-32e mode guest' is 0")  \
	X(NO_LMA_NO_HOST_64, HOST, "27.2.4", "outside IA-32e mode, 'host address-space size' is 0") \
	X(HOST_32_PCIDE, HOST, "27.2.4", "with 'host address-space size' 0, host CR4.PCIDE is 0") \
	X(HOST_32_RIP, HOST, "27.2.4", "with 'host address-space size' 0, host RIP bits 63:32 are 0") \
	X(HOST_64_PAE, HOST, "27.2.4", "with 'host address-space size' 1, host CR4.PAE is 1")     \
	X(HOST_64_RIP, HOST, "27.2.4", "with 'host address-space size' 1, host RIP is canonical") \
	/* §27.3.1.1 guest control registers, debug registers and MSRs */                          \
	X(GUEST_CR0_FIXED, GUEST, "27.3.1.1",                                                     \
	  "guest CR0 has the bits CR0_FIXED0 sets (PE and PG excepted with 'unrestricted guest'), and no bit CR0_FIXED1 clears") \
	X(GUEST_CR0_PG_PE, GUEST, "27.3.1.1", "guest CR0.PG is 1 only with CR0.PE 1")              \
	X(GUEST_CR4_FIXED, GUEST, "27.3.1.1", "guest CR4 has the bits CR4_FIXED0 sets, and no bit CR4_FIXED1 clears") \
	X(GUEST_DEBUGCTL, GUEST, "27.3.1.1",                                                      \
	  "with 'load debug controls', guest IA32_DEBUGCTL sets no reserved bit (the model has LBR and BTF)") \
	X(GUEST_IA32E_PG, GUEST, "27.3.1.1", "with 'IA-32e mode guest', guest CR0.PG is 1")       \
	X(GUEST_IA32E_PAE, GUEST, "27.3.1.1", "with 'IA-32e mode guest', guest CR4.PAE is 1")     \
	X(GUEST_PCIDE, GUEST, "27.3.1.1", "without 'IA-32e mode guest', guest CR4.PCIDE is 0")    \
	X(GUEST_CR3_WIDTH, GUEST, "27.3.1.1", "guest CR3 has no bit set beyond the physical-address width") \
	X(GUEST_DR7_HIGH, GUEST, "27.3.1.1", "with 'load debug controls', guest DR7 bits 63:32 are 0") \
	X(GUEST_SYSENTER_ESP_CANONICAL, GUEST, "27.3.1.1", "the guest IA32_SYSENTER_ESP is canonical") \
	X(GUEST_SYSENTER_EIP_CANONICAL, GUEST, "27.3.1.1", "the guest IA32_SYSENTER_EIP is canonical") \
	X(GUEST_PAT, GUEST, "27.3.1.1",                                                           \
	  "with 'load IA32_PAT' on entry, each guest PAT entry is a memory type (0, 1, 4, 5, 6 or 7)") \
	X(GUEST_EFER_RESERVED, GUEST, "27.3.1.1", "with 'load IA32_EFER' on entry, the guest EFER's reserved bits are 0") \
	X(GUEST_EFER_LMA, GUEST, "27.3.1.1", "with 'load IA32_EFER' on entry, guest EFER.LMA equals 'IA-32e mode guest'") \
	X(GUEST_EFER_LME, GUEST, "27.3.1.1",                                                      \
	  "with 'load IA32_EFER' on entry and guest CR0.PG 1, guest EFER.LME equals 'IA-32e mode guest'") \
	/* §27.3.1.2 guest segment registers */                                                    \
	X(V86_BASE, GUEST, "27.3.1.2", "in virtual-8086 mode, CS, SS, DS, ES, FS and GS bases are the selector << 4") \
	X(V86_LIMIT, GUEST, "27.3.1.2", "in virtual-8086 mode, CS, SS, DS, ES, FS and GS limits are 0xffff") \
	X(V86_AR, GUEST, "27.3.1.2", "in virtual-8086 mode, CS, SS, DS, ES, FS and GS access rights are 0xf3") \
	X(TR_TI, GUEST, "27.3.1.2", "the TR selector has TI 0")                                    \
	X(LDTR_TI, GUEST, "27.3.1.2", "a usable LDTR's selector has TI 0")                         \
	X(SS_RPL, GUEST, "27.3.1.2",                                                              \
	  "outside virtual-8086 mode and without 'unrestricted guest', SS.RPL equals CS.RPL")      \
	X(TR_FS_GS_BASE_CANONICAL, GUEST, "27.3.1.2", "TR, FS and GS bases are canonical")        \
	X(LDTR_BASE_CANONICAL, GUEST, "27.3.1.2", "a usable LDTR's base is canonical")            \
	X(CS_BASE_HIGH, GUEST, "27.3.1.2", "CS base bits 63:32 are 0")                             \
	X(SS_DS_ES_BASE_HIGH, GUEST, "27.3.1.2", "usable SS, DS and ES bases have bits 63:32 clear") \
	X(CS_TYPE, GUEST, "27.3.1.2", "CS has type 9, 11, 13 or 15 (accessed code), or 3 with 'unrestricted guest'") \
	X(SS_TYPE, GUEST, "27.3.1.2", "a usable SS has type 3 or 7 (read/write accessed data)")    \
	X(DS_ES_FS_GS_TYPE, GUEST, "27.3.1.2", "usable DS, ES, FS and GS are accessed, and readable if code") \
	X(SEG_S, GUEST, "27.3.1.2", "CS and usable SS, DS, ES, FS, GS have S 1")                   \
	X(CS_DPL_DATA, GUEST, "27.3.1.2", "a CS of type 3 has DPL 0")                              \
	X(CS_DPL_NONCONFORMING, GUEST, "27.3.1.2", "a CS of type 9 or 11 (non-conforming) has the DPL of SS") \
	X(CS_DPL_CONFORMING, GUEST, "27.3.1.2", "a CS of type 13 or 15 (conforming) has a DPL no greater than SS's") \
	X(SS_DPL_RPL, GUEST, "27.3.1.2", "without 'unrestricted guest', SS.DPL equals SS.RPL")     \
	X(SS_DPL_REAL, GUEST, "27.3.1.2", "SS.DPL is 0 with a CS of type 3 or guest CR0.PE 0")     \
	X(DATA_DPL, GUEST, "27.3.1.2",                                                            \
	  "without 'unrestricted guest', usable DS, ES, FS, GS of types 0-11 have DPL no less than RPL") \
	X(SEG_PRESENT, GUEST, "27.3.1.2", "CS and usable SS, DS, ES, FS, GS are present")          \
	X(SEG_AR_RESERVED, GUEST, "27.3.1.2",                                                     \
	  "CS and usable SS, DS, ES, FS, GS have access-rights bits 11:8 and 31:17 clear")         \
	X(CS_L_D, GUEST, "27.3.1.2", "with 'IA-32e mode guest' and CS.L 1, CS.D/B is 0")          \
	X(SEG_LIMIT_G, GUEST, "27.3.1.2",                                                         \
	  "CS and usable SS, DS, ES, FS, GS: G is 0 if a limit bit 11:0 is 0, and 1 if a limit bit 31:20 is 1") \
	X(TR_TYPE, GUEST, "27.3.1.2",                                                             \
	  "TR has type 11 (busy 32/64-bit TSS), or 3 (busy 16-bit TSS) without 'IA-32e mode guest'") \
	X(TR_S, GUEST, "27.3.1.2", "TR has S 0")                                                   \
	X(TR_PRESENT, GUEST, "27.3.1.2", "TR is present")                                          \
	X(TR_AR_RESERVED, GUEST, "27.3.1.2", "TR has access-rights bits 11:8 and 31:17 clear")     \
	X(TR_LIMIT_G, GUEST, "27.3.1.2", "TR: G is 0 if a limit bit 11:0 is 0, and 1 if a limit bit 31:20 is 1") \
	X(TR_USABLE, GUEST, "27.3.1.2", "TR is usable")                                            \
	X(LDTR_TYPE, GUEST, "27.3.1.2", "a usable LDTR has type 2")                                \
	X(LDTR_S, GUEST, "27.3.1.2", "a usable LDTR has S 0")                                      \
	X(LDTR_PRESENT, GUEST, "27.3.1.2", "a usable LDTR is present")                             \
	X(LDTR_AR_RESERVED, GUEST, "27.3.1.2", "a usable LDTR has access-rights bits 11:8 and 31:17 clear") \
	X(LDTR_LIMIT_G, GUEST, "27.3.1.2",                                                        \
	  "a usable LDTR: G is 0 if a limit bit 11:0 is 0, and 1 if a limit bit 31:20 is 1")      \
	/* §27.3.1.3 guest descriptor-table registers */                                           \
	X(GDTR_IDTR_BASE_CANONICAL, GUEST, "27.3.1.3", "GDTR and IDTR bases are canonical")       \
	X(GDTR_IDTR_LIMIT, GUEST, "27.3.1.3", "GDTR and IDTR limits have bits 31:16 clear")        \
	/* §27.3.1.4 guest RIP and RFLAGS */                                                        \
	X(RIP_HIGH, GUEST, "27.3.1.4", "RIP bits 63:32 are 0 unless 'IA-32e mode guest' and CS.L are 1") \
	X(RIP_CANONICAL, GUEST, "27.3.1.4", "with 'IA-32e mode guest' and CS.L 1, RIP is canonical") \
	X(RFLAGS_RESERVED, GUEST, "27.3.1.4", "RFLAGS bits 63:22, 15, 5 and 3 are 0")              \
	X(RFLAGS_FIXED, GUEST, "27.3.1.4", "RFLAGS bit 1 is 1")                                    \
	X(RFLAGS_VM, GUEST, "27.3.1.4", "RFLAGS.VM is 0 with 'IA-32e mode guest' or guest CR0.PE 0") \
	X(RFLAGS_IF_EXTINT, GUEST, "27.3.1.4", "RFLAGS.IF is 1 when an external interrupt is injected") \
	/* §27.3.1.5 guest non-register state */                                                   \
	X(ACTIVITY_RANGE, GUEST, "27.3.1.5", "the activity state is 0-3")                          \
	X(ACTIVITY_SUPPORTED, GUEST, "27.3.1.5", "a non-zero activity state is one IA32_VMX_MISC bits 8:6 advertise") \
	X(ACTIVITY_HLT_SS_DPL, GUEST, "27.3.1.5", "the HLT state is entered with SS.DPL 0")        \
	X(ACTIVITY_BLOCKING, GUEST, "27.3.1.5", "with blocking by STI or by MOV SS, the activity state is active") \
	X(ACTIVITY_HLT_INJECT, GUEST, "27.3.1.5",                                                 \
	  "in the HLT state, only an external interrupt, an NMI, #DB or #MC is injected")          \
	X(ACTIVITY_SHUTDOWN_INJECT, GUEST, "27.3.1.5", "in the shutdown state, only an NMI or #MC is injected") \
	X(ACTIVITY_WAIT_SIPI_INJECT, GUEST, "27.3.1.5", "in the wait-for-SIPI state, nothing is injected") \
	X(INTR_RESERVED, GUEST, "27.3.1.5", "interruptibility-state bits 31:5 are 0")              \
	X(INTR_ENCLAVE, GUEST, "27.3.1.5", "interruptibility-state bit 4 (enclave interruption) is 0: no SGX") \
	X(INTR_STI_MOV_SS, GUEST, "27.3.1.5", "blocking by STI and by MOV SS are not both set")    \
	X(INTR_STI_IF, GUEST, "27.3.1.5", "blocking by STI comes with RFLAGS.IF 1")                \
	X(INTR_EXTINT, GUEST, "27.3.1.5", "an injected external interrupt meets no blocking by STI or MOV SS") \
	X(INTR_NMI_MOV_SS, GUEST, "27.3.1.5", "an injected NMI meets no blocking by MOV SS")        \
	X(INTR_SMI, GUEST, "27.3.1.5", "blocking by SMI is 0 outside SMM")                         \
	X(INTR_VNMI, GUEST, "27.3.1.5", "with 'virtual NMIs', an injected NMI meets no blocking by NMI") \
	X(INTR_NMI_STI, NMI, "27.3.1.5", "an injected NMI meets no blocking by STI (the model requires it)") \
	X(PDE_RESERVED, GUEST, "27.3.1.5", "pending debug exceptions bits 11:4, 13, 15 and 63:17 are 0") \
	X(PDE_RTM, GUEST, "27.3.1.5", "pending debug exceptions bit 16 (RTM) is 0: no RTM")        \
	X(PDE_BS_SET, GUEST, "27.3.1.5",                                                          \
	  "with blocking by STI or MOV SS or the HLT state, BS is 1 if RFLAGS.TF is 1 and IA32_DEBUGCTL.BTF 0") \
	X(PDE_BS_CLEAR, GUEST, "27.3.1.5",                                                        \
	  "with blocking by STI or MOV SS or the HLT state, BS is 0 if RFLAGS.TF is 0 or IA32_DEBUGCTL.BTF 1") \
	X(LINK_ALIGN, LINK, "27.3.1.5", "a VMCS link pointer other than all ones is 4-KByte aligned") \
	X(LINK_WIDTH, LINK, "27.3.1.5",                                                           \
	  "a VMCS link pointer other than all ones is within the physical-address width")          \
	X(LINK_REVISION, LINK, "27.3.1.5",                                                        \
	  "a VMCS link pointer other than all ones names a VMCS of the processor's revision, shadow-VMCS indicator 0") \
	/* §27.3.1.6 PDPTEs */                                                                     \
	X(PDPTE_RESERVED, PDPTE, "27.3.1.6",                                                      \
	  "with PAE paging, present PDPTEs (the fields with 'enable EPT', memory otherwise) have bits 2:1, 8:5 and those beyond the physical-address width clear") \
	/* §27.4 the VM-entry MSR-load list, entry by entry */                                     \
	X(MSR_LOAD_RESERVED, MSR, "27.4", "bits 63:32 of an entry are 0")                          \
	X(MSR_LOAD_FS_GS_BASE, MSR, "27.4", "no entry loads IA32_FS_BASE or IA32_GS_BASE")         \
	X(MSR_LOAD_X2APIC, MSR, "27.4", "no entry loads an x2APIC MSR (0x800-0x8ff)")              \
	X(MSR_LOAD_SMM_MONITOR, MSR, "27.4", "no entry loads IA32_SMM_MONITOR_CTL outside SMM")

enum vmx_entry_check {
#define VMX_CHECK_ID(id, cls, section, rule) VMX_EC_##id,
	VMX_ENTRY_CHECKS(VMX_CHECK_ID)
#undef VMX_CHECK_ID
	VMX_EC_COUNT
};

enum vmx_check_class {
	VMX_CHECK_CTL,
	VMX_CHECK_HOST,
	VMX_CHECK_GUEST,
	VMX_CHECK_PDPTE,
	VMX_CHECK_NMI,
	VMX_CHECK_LINK,
	VMX_CHECK_MSR,
};

#endif
