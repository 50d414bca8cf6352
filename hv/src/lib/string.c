/* SPDX-License-Identifier: MIT */
/*
 * Memory and string functions for freestanding code. The portable library
 * links against no libc, so the core and the suite use these instead.
 */
#include "hv/lib.h"

void *hv_memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;

	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

void *hv_memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

int hv_memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++) {
		if (*x != *y)
			return *x < *y ? -1 : 1;
	}
	return 0;
}

size_t hv_strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

int hv_strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		unsigned char x = (unsigned char)*a, y = (unsigned char)*b;

		if (x != y)
			return x < y ? -1 : 1;
		if (!x)
			break;
	}
	return 0;
}

int hv_strcmp(const char *a, const char *b)
{
	return hv_strncmp(a, b, (size_t)-1);
}

const char *hv_strerror(int err)
{
	switch (err) {
	case HV_OK:
		return "success";
	case HV_ENOSVM:
		return "SVM not supported (CPUID Fn8000_0001 ECX[2] = 0)";
	case HV_ESVMDIS:
		return "SVM disabled by firmware (VM_CR.SVMDIS = 1)";
	case HV_ENOMEM:
		return "out of guest-addressable pages";
	case HV_EFAULT:
		return "instruction faulted";
	case HV_EINVAL:
		return "invalid argument";
	case HV_ENOTSUP:
		return "operation not supported by the backend";
	case HV_ENONPT:
		return "nested paging not supported (CPUID Fn8000_000A EDX[0] = 0)";
	}
	return "unknown error";
}
