#pragma once
// A QR code for the terminal (libqrencode), so a phone camera can read a link code. Shared by
// ssokit-cli (`link --qr`) and the pairing demos (library ssokit_samples_common).
#include <string>

namespace ssokit::samples {

// The code drawn with Unicode half blocks, two modules per character row; "" on failure.
std::string qr_for_terminal(const std::string& text);

}  // namespace ssokit::samples
