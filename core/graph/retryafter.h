#pragma once

#include <QByteArray>
#include <QDateTime>

#include <chrono>
#include <optional>

// The longest wait TeamsOps takes from one Retry-After. Graph asks for seconds to minutes; a
// server asking for more (a year, or 2^63 seconds) would park an operation for good after one
// answer. The Graph SDKs cap one wait at 180 s; a poller that may wait longer without harm takes
// ten minutes, and says when it shortened a wait.
inline constexpr std::chrono::seconds kRetryAfterCap{600};

// An HTTP-date ("Wed, 21 Oct 2015 07:28:00 GMT", as in Date and Retry-After), in UTC; invalid
// when unreadable.
QDateTime parseHttpDate(const QByteArray &value);

// Reads an HTTP Retry-After value: delay-seconds ("120") or an HTTP-date
// ("Wed, 21 Oct 2015 07:28:00 GMT", taken relative to now). A date in the past means "now".
// Values beyond ten years are read as ten years, so no later arithmetic overflows.
// Returns nullopt for an absent or unreadable value.
std::optional<std::chrono::seconds> parseRetryAfter(const QByteArray &value, const QDateTime &now);
