#pragma once

#include <QByteArray>
#include <QDateTime>

#include <chrono>
#include <optional>

// Reads an HTTP Retry-After value: delay-seconds ("120") or an HTTP-date
// ("Wed, 21 Oct 2015 07:28:00 GMT", taken relative to now). A date in the past means "now".
// Returns nullopt for an absent or unreadable value.
std::optional<std::chrono::seconds> parseRetryAfter(const QByteArray &value, const QDateTime &now);
