#!/usr/bin/env bash
# Builds the libFuzzer targets with clang in their own build folder and runs each for a bounded time
# on seeds from the repository's example and test portfolios. Fails on any crash, leak or sanitizer
# report. Usage: run_fuzzers.sh SOURCE_DIR BUILD_DIR SECONDS_PER_TARGET
set -euo pipefail
source_dir=$1 build_dir=$2 seconds=$3

if ! command -v clang++ >/dev/null; then
  echo "run_fuzzers: clang++ is missing; run packaging/setup.sh" >&2
  exit 1
fi
cmake -S "$source_dir" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DMM_FUZZ=ON -DBUILD_TESTING=OFF > "$build_dir.configure.log" 2>&1 || { cat "$build_dir.configure.log"; exit 1; }
targets="fuzz_decimal fuzz_exact_json fuzz_portfolio_file fuzz_portfolio_drafts fuzz_accounts_config fuzz_binance_mark_prices fuzz_bybit_mark_prices fuzz_okx_mark_prices fuzz_hyperliquid_mark_prices fuzz_server_time fuzz_price_replay fuzz_account_snapshots"
# shellcheck disable=SC2086
cmake --build "$build_dir" --target $targets

seeds="$build_dir/seeds"
rm -rf "$seeds" && mkdir -p "$seeds/decimal" "$seeds/json" "$seeds/replays" "$seeds/binance" "$seeds/bybit" "$seeds/okx" "$seeds/hyperliquid" "$seeds/servertime" "$seeds/accounts"
cp "$source_dir"/resources/examples/*.json "$source_dir"/tests/integration/portfolios/*.json "$seeds/json/"
# An accounts configuration.
printf '{"accounts":[{"id":"main","label":"Main","venue":"binance-usdm","environment":"mainnet","hasTradeKey":true},{"id":"sim","label":"Sim","venue":"okx-swap","environment":"custom","customUrl":"http://127.0.0.1:8443"},{"id":"hl","label":"HL","venue":"hyperliquid","walletAddress":"0x010461C14e146ac35Fe42271BDC1134EE31C703a"}]}' > "$seeds/json/accounts-config.json"
# The manual positions file's list form.
printf '{"accounts":[{"venue":"okx-swap","label":"Hand","walletBalance":"5000","positions":[{"symbol":"BTC-USDT-SWAP","side":"long","quantity":"0.5","entryPrice":"60000","markPrice":"60000","maintenanceMarginRate":"0.004"}]}]}' > "$seeds/json/manual-positions.json"
n=0
for seed in 11794.15000000 -0.00038167 1e-7 0 99999999999999999999.999999999999999999 1.5E+3; do
  printf '%s' "$seed" > "$seeds/decimal/seed-$((n += 1))"
done

# Venue frames, per venue.
frame() { printf '%s' "$2" > "$seeds/$1/seed-$((n += 1))"; }
frame binance '{"e":"markPriceUpdate","E":1562305380000,"s":"BTCUSDT","p":"11794.15000000","i":"11784.62659091","r":"0.00038167"}'
frame binance '{"stream":"!markPrice@arr@1s","data":[{"e":"markPriceUpdate","E":1,"s":"ETHUSDT","p":"3000.5"}]}'
frame bybit '{"topic":"tickers.BTCUSDT","type":"snapshot","data":{"symbol":"BTCUSDT","markPrice":"66666.60","indexPrice":"115418.19","fundingRate":"-0.005"},"ts":1760325052630}'
frame bybit '{"topic":"tickers.BTCUSDT","type":"delta","data":{"symbol":"BTCUSDT","markPrice":"66650.1"},"ts":1760325052730}'
frame bybit '{"success":true,"ret_msg":"pong","conn_id":"c","req_id":"1","op":"ping"}'
frame okx '{"arg":{"channel":"mark-price","instId":"BTC-USDT-SWAP"},"data":[{"instType":"SWAP","instId":"BTC-USDT-SWAP","markPx":"64000.1","ts":"1597026383085"}]}'
frame okx '{"event":"error","code":"60012","msg":"Invalid request","connId":"a4d3ae55"}'
frame hyperliquid '{"channel":"activeAssetCtx","data":{"coin":"BTC","ctx":{"funding":"0.0000125","oraclePx":"64010.0","markPx":"64021.5"}}}'

frame servertime '{"serverTime":1499827319559}'
frame servertime '{"retCode":0,"retMsg":"OK","result":{"timeSecond":"1688639403","timeNano":"1688639403423213947"},"retExtInfo":{},"time":1688639403423}'
frame servertime '{"code":"0","msg":"","data":[{"ts":"1597026383085"}]}'

# Account REST answers, one per endpoint (tests/core/venues/tst_account_snapshots.cpp has more).
frame accounts '[{"symbol":"ADAUSDT","positionSide":"BOTH","positionAmt":"30","entryPrice":"0.385","markPrice":"0.41047590","unRealizedProfit":"0.76427700","liquidationPrice":"0","isolatedWallet":"0","marginType":"cross","leverage":"4"},{"symbol":"BTCUSDT","positionSide":"SHORT","positionAmt":-0.25,"entryPrice":64000.5,"markPrice":"63000.1","liquidationPrice":"88123.45","isolatedWallet":"1600","marginType":"ISOLATED","leverage":10}]'
frame accounts '{"totalWalletBalance":"10000.5","totalMarginBalance":"10251.364277","totalMaintMargin":"80.0800428"}'
frame accounts '{"retCode":0,"retMsg":"OK","result":{"list":[{"positionIdx":0,"symbol":"BTCUSDT","side":"Buy","size":"0.010","avgPrice":"60000","leverage":"10","markPrice":"61000.5","liqPrice":"","positionMM":"3.305","unrealisedPnl":"10.005","tradeMode":1,"positionBalance":"60"}]},"time":1}'
frame accounts '{"retCode":0,"retMsg":"OK","result":{"list":[{"accountMMRate":"0.0026","totalMarginBalance":"5000","totalMaintenanceMargin":"13","coin":[{"coin":"USDT","walletBalance":"4990.5"}]}]}}'
frame accounts '{"code":"0","msg":"","data":[{"instId":"BTC-USDT-SWAP","mgnMode":"isolated","posSide":"net","pos":"-25","avgPx":"64000","markPx":"63500.5","liqPx":"80000.1","upl":"124.875","lever":"20","margin":"80","mmr":"25.4","mgnRatio":"120.5"}]}'
frame accounts '{"code":"0","msg":"","data":[{"totalEq":"10139.875","mmr":"26.6","mgnRatio":"381.2","details":[{"ccy":"USDT","cashBal":"10000"}]}]}'
frame accounts '{"assetPositions":[{"position":{"coin":"BTC","entryPx":"26951.0","leverage":{"type":"cross","value":20},"liquidationPx":"173198.69592357","marginUsed":"10.582271","positionValue":"211.64542","szi":"-0.00785","unrealizedPnl":"-0.08007"},"type":"oneWay"}],"marginSummary":{"accountValue":"1182.312496","totalMarginUsed":"171.740766","totalNtlPos":"3434.815334","totalRawUsd":"86.549602"},"withdrawable":"1010.57173"}'

# Price recordings: a good one, and the tests' broken ones.
printf 'time,symbol,mark\n1700000000,BTCUSDT,64000\n1700000000.5,BTC-USDT-SWAP,63990.5\n1700000002,BTCUSDT,63000\n' > "$seeds/replays/good.csv"
cp "$source_dir"/tests/integration/replays/*.csv "$seeds/replays/"

status=0
for target in $targets; do
  corpus="$build_dir/corpus/$target"
  mkdir -p "$corpus"
  case $target in
    fuzz_decimal) seed="$seeds/decimal" ;;
    fuzz_*_mark_prices) venue=${target#fuzz_}; seed="$seeds/${venue%_mark_prices}" ;;
    fuzz_price_replay) seed="$seeds/replays" ;;
    fuzz_server_time) seed="$seeds/servertime" ;;
    fuzz_account_snapshots) seed="$seeds/accounts" ;;
    *) seed="$seeds/json" ;;
  esac
  echo "run_fuzzers: $target for ${seconds}s"
  if ! (cd "$build_dir" && "./tests/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
          -print_final_stats=1 "$corpus" "$seed" 2>&1 | tail -n 12); then
    status=1
  fi
done
exit $status
