# One place for the warning set, applied per target so third-party code is not affected.
function(ssokit_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
                                           $<$<COMPILE_LANGUAGE:CXX>:-Wnon-virtual-dtor -Wold-style-cast>)
  if(SSOKIT_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
