/* SPDX-License-Identifier: MIT */
/*
 * Freestanding helpers for the hypervisor core and the conformance suite:
 * memory and string functions, a small printf, and the error codes every hv_
 * function returns. Nothing here reaches the processor except hv_printf,
 * which writes through arch_console_write.
 *
 * Who may include it: hv/, conformance/, and anything linked with them.
 */
#ifndef HV_LIB_H
#define HV_LIB_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Error codes. Functions that can fail return 0 (HV_OK) or one of these
 * negative values; hv_strerror names them.
 */
enum hv_err {
	HV_OK = 0,
	HV_ENOSVM = -1,    /* CPUID Fn8000_0001 ECX[2] (SVM) = 0 */
	HV_ESVMDIS = -2,   /* VM_CR.SVMDIS = 1: SVM disabled by firmware */
	HV_ENOMEM = -3,    /* arch_page_alloc ran out, or a page is above 4 GiB */
	HV_EFAULT = -4,    /* an instruction faulted (RDMSR, WRMSR, VMRUN) */
	HV_EINVAL = -5,    /* a bad argument */
	HV_ENOTSUP = -6,   /* the backend does not implement the operation */
	HV_ENONPT = -7,    /* CPUID Fn8000_000A EDX[0] (NP) = 0: no nested paging */
};

const char *hv_strerror(int err);

void *hv_memset(void *dst, int c, size_t n);
void *hv_memcpy(void *dst, const void *src, size_t n);
int hv_memcmp(const void *a, const void *b, size_t n);
size_t hv_strlen(const char *s);
int hv_strcmp(const char *a, const char *b);
int hv_strncmp(const char *a, const char *b, size_t n);

/*
 * printf subset: %s %c %d %i %u %x %X %p %% with the flags '-' and '0', a
 * width (number or '*') and the length modifiers l, ll and z. Returns the
 * length the full output would have had, as C's vsnprintf does; the output is
 * always NUL-terminated when size > 0.
 */
int hv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int hv_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Formats and writes to the platform console (arch_console_write). */
int hv_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
