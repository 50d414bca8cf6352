/* SPDX-License-Identifier: MIT */
/* The labels of the vmx_guest payload (guest/vmx.S) that the scenarios use. */
#ifndef CONF_SRC_VMX_GUEST_H
#define CONF_SRC_VMX_GUEST_H

#include "vmx_util.h"

CONF_VMX_PAYLOAD_DECLARE(vmx_guest);
CONF_PAYLOAD_LABEL(vmx_guest, ap_start);
CONF_PAYLOAD_LABEL(vmx_guest, clts_insn);
CONF_PAYLOAD_LABEL(vmx_guest, count);
CONF_PAYLOAD_LABEL(vmx_guest, cpuid);
CONF_PAYLOAD_LABEL(vmx_guest, cpuid_insn);
CONF_PAYLOAD_LABEL(vmx_guest, cr0_read_insn);
CONF_PAYLOAD_LABEL(vmx_guest, cr0_write);
CONF_PAYLOAD_LABEL(vmx_guest, cr0_write_insn);
CONF_PAYLOAD_LABEL(vmx_guest, cr3_read_insn);
CONF_PAYLOAD_LABEL(vmx_guest, cr3_write);
CONF_PAYLOAD_LABEL(vmx_guest, cr3_write_insn);
CONF_PAYLOAD_LABEL(vmx_guest, cr4_write);
CONF_PAYLOAD_LABEL(vmx_guest, cr4_write_insn);
CONF_PAYLOAD_LABEL(vmx_guest, cr8_read_insn);
CONF_PAYLOAD_LABEL(vmx_guest, cr8_write_insn);
CONF_PAYLOAD_LABEL(vmx_guest, done_insn);
CONF_PAYLOAD_LABEL(vmx_guest, dr7_read_insn);
CONF_PAYLOAD_LABEL(vmx_guest, dr7_write_insn);
CONF_PAYLOAD_LABEL(vmx_guest, ept_fetch_insn);
CONF_PAYLOAD_LABEL(vmx_guest, ept_read_insn);
CONF_PAYLOAD_LABEL(vmx_guest, ept_write_insn);
CONF_PAYLOAD_LABEL(vmx_guest, gp);
CONF_PAYLOAD_LABEL(vmx_guest, gp_insn);
CONF_PAYLOAD_LABEL(vmx_guest, hlt_after);
CONF_PAYLOAD_LABEL(vmx_guest, hlt_insn);
CONF_PAYLOAD_LABEL(vmx_guest, in_dx);
CONF_PAYLOAD_LABEL(vmx_guest, in_dx_insn);
CONF_PAYLOAD_LABEL(vmx_guest, invlpg);
CONF_PAYLOAD_LABEL(vmx_guest, invlpg_insn);
CONF_PAYLOAD_LABEL(vmx_guest, iret);
CONF_PAYLOAD_LABEL(vmx_guest, iret_after);
CONF_PAYLOAD_LABEL(vmx_guest, iret_insn);
CONF_PAYLOAD_LABEL(vmx_guest, lmsw_insn);
CONF_PAYLOAD_LABEL(vmx_guest, out);
CONF_PAYLOAD_LABEL(vmx_guest, out_insn);
CONF_PAYLOAD_LABEL(vmx_guest, outs_rep);
CONF_PAYLOAD_LABEL(vmx_guest, outs_rep_insn);
CONF_PAYLOAD_LABEL(vmx_guest, pf);
CONF_PAYLOAD_LABEL(vmx_guest, pf_insn);
CONF_PAYLOAD_LABEL(vmx_guest, rdmsr_insn);
CONF_PAYLOAD_LABEL(vmx_guest, rdtsc_insn);
CONF_PAYLOAD_LABEL(vmx_guest, spin);
CONF_PAYLOAD_LABEL(vmx_guest, spin_end);
CONF_PAYLOAD_LABEL(vmx_guest, sti_count);
CONF_PAYLOAD_LABEL(vmx_guest, ud2_insn);
CONF_PAYLOAD_LABEL(vmx_guest, vmclear_insn);
CONF_PAYLOAD_LABEL(vmx_guest, qword);
CONF_PAYLOAD_LABEL(vmx_guest, vmlaunch_insn);
CONF_PAYLOAD_LABEL(vmx_guest, vmptrld_insn);
CONF_PAYLOAD_LABEL(vmx_guest, vmptrst_insn);
CONF_PAYLOAD_LABEL(vmx_guest, vmread_insn);
CONF_PAYLOAD_LABEL(vmx_guest, vmresume_insn);
CONF_PAYLOAD_LABEL(vmx_guest, vmwrite_insn);
CONF_PAYLOAD_LABEL(vmx_guest, vmxoff_insn);
CONF_PAYLOAD_LABEL(vmx_guest, vmxon_insn);
CONF_PAYLOAD_LABEL(vmx_guest, wrmsr);
CONF_PAYLOAD_LABEL(vmx_guest, wrmsr_insn);

#endif
