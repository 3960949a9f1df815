# eval: the foundation contract (issue 2) and the probes that split
# other engines, each for the right reason.
. "$(dirname "$0")/lib.sh"

expect "0.1+0.2"          0 "0.3"          -- "$XC" eval '=0.1+0.2'
expect "ROUND(28/3,1)"    0 "9.3"          -- "$XC" eval '=ROUND(28/3,1)'
expect "ROUND tie 109.5"  0 "110"          -- "$XC" eval '=ROUND(21.9/0.2,0)'
expect "-2^2"             0 "4"            -- "$XC" eval '=-2^2'
expect "2^3^2"            0 "64"           -- "$XC" eval '=2^3^2'
expect "exact 28/3"       0 "28/3 = 9.(3)" -- "$XC" eval --exact '=56/60*10'
expect "exact 1/7"        0 "1/7 = 0.(142857)" -- "$XC" eval --exact '=1/7'
expect "1/0"              0 "#DIV/0!"      -- "$XC" eval '=1/0'
expect "ROUND(2.675,2)"   0 "2.68"         -- "$XC" eval '=ROUND(2.675,2)'
expect "ROUND(1.005,2)"   0 "1.01"         -- "$XC" eval '=ROUND(1.005,2)'
expect "ROUND(0.285,2)"   0 "0.29"         -- "$XC" eval '=ROUND(0.285,2)'
expect "snap to zero"     0 "0"            -- "$XC" eval '=1*(0.5-0.4-0.1)'
expect "IF 0.1+0.2=0.3"   0 "1"            -- "$XC" eval '=IF(0.1+0.2=0.3,1,0)'
expect "INT((0.1+0.7)*10)" 0 "8"           -- "$XC" eval '=INT((0.1+0.7)*10)'
expect "text"             0 "ab"           -- "$XC" eval '="a"&"b"'
expect "logical"          0 "TRUE"         -- "$XC" eval '=1<2'
expect "General 15 digits" 0 "0.333333333333333" -- "$XC" eval '=1/3'
expect "percent literal"  0 "0.56"         -- "$XC" eval '=56%'
expect "exact money sum"  0 "19.51"        -- "$XC" eval '=14*0.5+3*1+1*2.51+2*3.5'
expect "SQRT(2) declared precision" 0 "1.41421356237309504880168872420969807856967187537694807317668 (approximate, 60 digits)" -- "$XC" eval --exact "=SQRT(2)"
expect "SQRT(16) exact" 0 "4" -- "$XC" eval --exact "=SQRT(16)"
expect_err "parse error position" 2 "1:8" -- "$XC" eval '=SUM(1,'
expect_err "no formula"   2 "no formula"   -- "$XC" eval
expect_err "bad command"  2 "unknown command" -- "$XC" frobnicate
finish
