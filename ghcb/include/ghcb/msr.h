/* SPDX-License-Identifier: MIT */
/*
 * The GHCB MSR protocol (GHCB specification §2.3.1; facts §(b) "MSR
 * protocol codes"): requests a guest writes to the GHCB MSR
 * (MSR_AMD64_SEV_ES_GHCB, C001_0130h) before VMGEXIT, and the responses
 * the hypervisor leaves there. GHCBInfo is bits 11:0, GHCBData bits 63:12;
 * a value whose low 12 bits are 0 is a GHCB page's address instead.
 * Encoders and decoders for each code, one definition for both sides;
 * freestanding.
 *
 * Who may include it: ghcb/, hv/, conformance/, tests.
 */
#ifndef GHCB_MSR_H
#define GHCB_MSR_H

#include <stdbool.h>
#include <stdint.h>

#define MSR_AMD64_SEV_ES_GHCB 0xc0010130u

#define GHCB_MSR_INFO_MASK 0xfffull

/* GHCBInfo codes. */
enum ghcb_msr_code {
	GHCB_MSR_SEV_INFO_RESP = 0x001,
	GHCB_MSR_SEV_INFO_REQ = 0x002,
	GHCB_MSR_CPUID_REQ = 0x004,
	GHCB_MSR_CPUID_RESP = 0x005,
	GHCB_MSR_AP_RESET_HOLD_REQ = 0x006,  /* protocol version 2 */
	GHCB_MSR_AP_RESET_HOLD_RESP = 0x007,
	GHCB_MSR_PREF_GPA_REQ = 0x010,       /* SEV-SNP */
	GHCB_MSR_PREF_GPA_RESP = 0x011,
	GHCB_MSR_REG_GPA_REQ = 0x012,        /* SEV-SNP */
	GHCB_MSR_REG_GPA_RESP = 0x013,
	GHCB_MSR_PSC_REQ = 0x014,            /* SEV-SNP */
	GHCB_MSR_PSC_RESP = 0x015,
	GHCB_MSR_HV_FT_REQ = 0x080,          /* protocol version 2 */
	GHCB_MSR_HV_FT_RESP = 0x081,
	GHCB_MSR_TERM_REQ = 0x100,
};

/* CPUID register selectors of a CPUID request, bits 31:30. */
enum ghcb_cpuid_reg { GHCB_CPUID_EAX = 0, GHCB_CPUID_EBX = 1, GHCB_CPUID_ECX = 2, GHCB_CPUID_EDX = 3 };

/* Termination reason sets and the general set's codes (bits 15:12, 23:16). */
#define GHCB_TERM_SET_GENERAL 0u
#define GHCB_TERM_GENERAL_REQUEST 0u
#define GHCB_TERM_PROTOCOL_UNSUPPORTED 1u
#define GHCB_TERM_SNP_UNSUPPORTED 2u

/* The hypervisor features of an HV_FT response (bits 63:12). */
#define GHCB_HV_FT_SNP (1ull << 0)
#define GHCB_HV_FT_SNP_AP_CREATION (1ull << 1)

/* PREF_GPA_RESP's "no preference" (all of bits 63:12). */
#define GHCB_MSR_GPA_NONE 0xfffffffffffffull

/* Protocol versions (spec §2.2). */
#define GHCB_VERSION_MIN 1u
#define GHCB_VERSION_MAX 2u

static inline uint32_t ghcb_msr_code(uint64_t msr)
{
	return (uint32_t)(msr & GHCB_MSR_INFO_MASK);
}

static inline uint64_t ghcb_msr_data(uint64_t msr)
{
	return msr >> 12;
}

/* A GHCB page's address rather than a request: GHCBInfo 0 (a page is aligned). */
static inline bool ghcb_msr_is_page(uint64_t msr)
{
	return ghcb_msr_code(msr) == 0;
}

static inline uint64_t ghcb_msr(uint64_t data, uint32_t code)
{
	return (data << 12) | (code & GHCB_MSR_INFO_MASK);
}

/* SEV_INFO: [63:48] maximum, [47:32] minimum protocol version, [31:24] C-bit position. */
static inline uint64_t ghcb_msr_sev_info(uint16_t max, uint16_t min, uint8_t cbit)
{
	return ((uint64_t)max << 48) | ((uint64_t)min << 32) | ((uint64_t)cbit << 24) |
	       GHCB_MSR_SEV_INFO_RESP;
}

static inline uint16_t ghcb_msr_sev_info_max(uint64_t msr)
{
	return (uint16_t)(msr >> 48);
}

static inline uint16_t ghcb_msr_sev_info_min(uint64_t msr)
{
	return (uint16_t)(msr >> 32);
}

static inline uint8_t ghcb_msr_sev_info_cbit(uint64_t msr)
{
	return (uint8_t)(msr >> 24);
}

/* CPUID request: [63:32] function, [31:30] register. */
static inline uint64_t ghcb_msr_cpuid_req(uint32_t fn, enum ghcb_cpuid_reg reg)
{
	return ((uint64_t)fn << 32) | ((uint64_t)reg << 30) | GHCB_MSR_CPUID_REQ;
}

static inline uint32_t ghcb_msr_cpuid_fn(uint64_t msr)
{
	return (uint32_t)(msr >> 32);
}

static inline enum ghcb_cpuid_reg ghcb_msr_cpuid_reg(uint64_t msr)
{
	return (enum ghcb_cpuid_reg)((msr >> 30) & 3u);
}

/*
 * CPUID response to request req: the value in [63:32] and the response
 * code, bits 31:12 of the request kept (KVM writes only 63:32 and 11:0).
 */
static inline uint64_t ghcb_msr_cpuid_resp(uint64_t req, uint32_t value)
{
	return ((uint64_t)value << 32) | (req & 0xfffff000ull) | GHCB_MSR_CPUID_RESP;
}

/* AP reset hold response: the result in [63:12]; non-zero means woken by a SIPI. */
static inline uint64_t ghcb_msr_ap_reset_hold_resp(uint64_t result)
{
	return ghcb_msr(result & 0xfffffffffffffull, GHCB_MSR_AP_RESET_HOLD_RESP);
}

/* Termination request: reason set [15:12], reason code [23:16]. */
static inline uint64_t ghcb_msr_term_req(uint8_t set, uint8_t code)
{
	return ((uint64_t)code << 16) | ((uint64_t)(set & 0xfu) << 12) | GHCB_MSR_TERM_REQ;
}

static inline uint8_t ghcb_msr_term_set(uint64_t msr)
{
	return (uint8_t)((msr >> 12) & 0xfu);
}

static inline uint8_t ghcb_msr_term_code(uint64_t msr)
{
	return (uint8_t)(msr >> 16);
}

/* Page state change: [55:52] operation (1 private, 2 shared), [51:12] the frame. */
static inline uint64_t ghcb_msr_psc_req(uint64_t gfn, uint8_t op)
{
	return ((uint64_t)(op & 0xfu) << 52) | ((gfn & 0xffffffffffull) << 12) | GHCB_MSR_PSC_REQ;
}

#endif
