#pragma once
// Keys and tokens made by another JOSE implementation (panva/jose 5 on Node.js), so the
// tests check interoperability and not only that ssokit agrees with itself. Test data only.

namespace ssokit::jose::interop {

// P-256 private key the ECDH-ES token is encrypted to
inline constexpr const char* kEcdhPrivateJwk =
    "{\"kty\":\"EC\",\"x\":\"-unrCK3SJy9dQxo04Q2Errf_Kx3bhnQNyNy8rsvSBN0\",\"y\":\"FrRf3wZPDPeu3p2DhuVqFm4fPE4l8"
    "4qY2KpNln8Q00Q\",\"crv\":\"P-256\",\"d\":\"cItbpFkjBZn_DZBAX6-IB9fqyTaUVdRMt6sdSK-Q4ho\"}";

// ECDH-ES + A256GCM, kid "enc-ec", cty "JWT", plaintext {"iss":"node-jose","sub":"ecdh"}
inline constexpr const char* kEcdhToken =
    "eyJhbGciOiJFQ0RILUVTIiwiZW5jIjoiQTI1NkdDTSIsImtpZCI6ImVuYy1lYyIsImN0eSI6IkpXVCIsImVwayI6eyJ4Ijoi"
    "QzFzM2tmZEhTVVNaV2xRTDcyTElkVUd5SU5JcXBkU0FSR1ZLcUc4emxtSSIsImNydiI6IlAtMjU2Iiwia3R5IjoiRUMiLCJ5"
    "Ijoiem5YQ3JVeGlyOHBHRFd0YXFDcDVrcmVydHc4QXJ5T0U5Wndwa0VNbVRVZyJ9fQ..b4jcs6XwajOofCIj.mKgxIX_VaK5"
    "VTunXmDg5ohXZBAinzfGvDhJvI8tTUnM.n0aw8upMG6BzQICzNw0q5w";

// RSA 2048 private key the RSA-OAEP token is encrypted to
inline constexpr const char* kRsaPrivateJwk =
    "{\"kty\":\"RSA\",\"n\":\"2GS64PJN7AweIPQJ4A2Xtfbje_A2dZsVvLOioeDKlSACRIj7o2rfYYTo9XbfXXP_49UQrvgJ2Scy_w"
    "2fDjyphEM4Q-JclPa_2vn21m3aLU6mWgEVcwN3y1xHhRwrFARL5q4o4cn6Z8kbCoFpY8pwEUTMrC3_lHKlqrh02JNHcLwx2N"
    "r7Kzj3j466ZX98uWnpMsZPhjzJ_X4WEzGH-JQgo_mGGs21VivIuOGCDlVdoefiE3EjUnR7mPV6xP3UE1z4WK4KqcXXT6vYJU"
    "k2dcJiRjys7t9uzsT05RNIHIwvo7jkJHLnlsYre5C1iF_2xXqA7GH5Otvfz4zG9hxQRXjZMQ\",\"e\":\"AQAB\",\"d\":\"HqF3le"
    "hGoRoAA8siQLhmgr1IFd76s9Vi6NCxaI0A2sYVUW07LYvZw0dEkJvQjL0i-jWf7xyGNwUQ92s5WhMP2HyJZjaQbg0AOwzKD4"
    "VXmQqP3_VU-3BWEI-8l0-ARjeWJOOp6XglPXQJTgiOigUkWEAZtr-rdMXGb0Q9VKYtunvD61WL__YTUefvHRphHRDHT4aMsm"
    "8edVvpEjQPK_Efaflnx5lZbcI-_Kast0xLcM2JfTeJjxOB4LOYEcWpuGYuVc08rxReyF5cgZGj35yYyH5Xpi8wg8oXUqSdXZ"
    "oEGWpAmjce7fIK0cYeTJpzgpryfbKOwy9jgnqX8x9jyvJLjw\",\"p\":\"8kBtJHVma2nbAn38m49qg6HKoGpZZz74P5UK4daaq"
    "lVnF_ZZF8agJOIOWS1xWli_g0RhSohu1x78gcFzN5gPDINFUgOoCQ2SYHw__yukOCUCKrv6j_ZlXoVc1tBQqhgOovsAK9018"
    "TK_BBIy0sPoID1Zq98EpHY4bZ4g40YSAAc\",\"q\":\"5Kye7A9RTNkYGyoutiYKZ_2vqBKPttL4XcESRLhacRWF5RMnc-bzJPd"
    "t4NKMwz9X7Y3SDXh9K2r6zhCf4z-5OsMe0OWOqWuvzExJpObOfV1qbdZL-LBoS5oHToRIUN4Pe-eZTtgw0oHJks-Bcl3wq1S"
    "a1gdQ1yJuA9B0i5i2Hwc\",\"dp\":\"cuCGYTGi_fDWwJnJ_mLGGeHRWrzT5JgB1PTykiHYeknBd6WEnje8nYDtWPCpvjQzrSXy"
    "FQwZs72n9EguQQDEsiRV7Qx61MAw17xUBMdHOrCiFG3L5hTsASSw39UtS1vZJQRuEl72Q4jS-DVBEJ2CKDevnEdHxk2heKnx"
    "4pTJ2GU\",\"dq\":\"wk_wxzSI6B09f6_Le5o9k3odLlt_ZWJGDBzIsj5ZE-ivGyW4i6M_DzV1V-pyFGMaC1FMoYe2DRPdxQaZZ"
    "pg6hLVS1T2LiWlpO9fDaG18H0km6-iCK_Ny3HMpLE35yUW4sJfvTPEmI2qH58mN_KnYnS3KWH5k8jpec71Jm2mLsDc\",\"qi\""
    ":\"sxFdCkq1unjEY3vEj3v738HRFVCJZ1l3o5NuYMnGf0CZ36jkGsJylgQv0Ha_edS6TvQMoHQfC-NEj5nBPr4HRroDGG18KZ"
    "hlS5DwMA3dFRkmE72XvW4d5RJcNNzcltBbiyZsXSDbY_bI1eK-_3kFHtdexiGWPVHg0IDKPsMyr5I\"}";

// RSA-OAEP + A256GCM, kid "enc-rsa", cty "JWT", plaintext {"iss":"node-jose","sub":"oaep"}
inline constexpr const char* kRsaToken =
    "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00iLCJraWQiOiJlbmMtcnNhIiwiY3R5IjoiSldUIn0.Ob2rROCIWB4h"
    "_8VLCcRSg6yefnS23c1VegEFIaR5LdrpODJQiAK4mAONERrbimFuKgK5VHxvU-mhhxBEYhxzZq_3L8SgGwtpbbOoB8Kd-W9F"
    "5k57SppCjW0oCl7c4xxL9-5VU6nXjD6FtGRv6IQfezs5S_DKoL4dCP-iWz1nm-5CSctqODu_YYTgDB2ngdbH167j78QXb22o"
    "Odm0N2kPeAAAltNzS-Ne5HwcF9u5lk_V5pt9g0Q731VYoS0J1Gg6hMI-jMqyrt71h8S_gkwo761MVVHg7o1ay3Zwq7YADlL0"
    "F7kjXqfbxDEzqriKo1GOyVjYkZ7UomTgKGeRqhS5Fw.KlT1EltzaIwMkHij.w-tqkjnu_ziBSTLxvE4fFN_Kx1N1URWTYPgW"
    "oARolQM.fRCTkEhaVs7AMypH42gyww";

// P-256 public key of the ES256 signer
inline constexpr const char* kEs256PublicJwk =
    "{\"kty\":\"EC\",\"x\":\"lNYqinjpp7RRZq7DPHB3TRA13a35OJO43GsdUeBjRkM\",\"y\":\"iFwJmkbpmhlLsGoELX3gX3ZP0Ya46"
    "WmFNkD6vyj9oUk\",\"crv\":\"P-256\"}";

// ES256, kid "sig-ec", typ "JWT", payload {"iss":"node-jose","sub":"es256"}
inline constexpr const char* kEs256Token =
    "eyJhbGciOiJFUzI1NiIsImtpZCI6InNpZy1lYyIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJub2RlLWpvc2UiLCJzdWIiOiJlczI"
    "1NiJ9.wIH4xXAddG-vvz7Wh4bqEoYJQTN7RaS2qtB0fxKRMQ6hPxaHRU8Pqqn46lCBFibCklPc4iQTHYXiVcc9EwlLsw";

}  // namespace ssokit::jose::interop
