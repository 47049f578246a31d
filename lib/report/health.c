/*
 * lib/report/health.c - when a job's runs make a report warn or go critical.
 */
#include "base/common.h"

#include "report/health.h"
#include "base/banned.h"

report_level
health_job(long long failures, long long abandoned)
{
	if (failures >= 2)
		return REPORT_CRITICAL;
	if (failures == 1 || abandoned > 0)
		return REPORT_WARNING;
	return REPORT_OK;
}

report_level
health_success_age(long long age_minutes, long every_minutes)
{
	if (every_minutes <= 0)
		return REPORT_OK;
	if (age_minutes < 0 || age_minutes > 4 * (long long) every_minutes)
		return REPORT_CRITICAL;
	if (age_minutes > 2 * (long long) every_minutes)
		return REPORT_WARNING;
	return REPORT_OK;
}

report_level
health_worse(report_level a, report_level b)
{
	return a > b ? a : b;
}
