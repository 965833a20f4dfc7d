#!/usr/bin/env bash
# Builds the libFuzzer targets with clang in their own build folder and runs them on seeds from the
# repository's example and test portfolios, on a fixed total budget shared equally by the targets
# (at least 5 s each). Fails on any crash, leak or sanitizer report.
# Usage: run_fuzzers.sh SOURCE_DIR BUILD_DIR TOTAL_SECONDS
set -euo pipefail
source_dir=$1 build_dir=$2 total_seconds=$3

if ! command -v clang++ >/dev/null; then
  echo "run_fuzzers: clang++ is missing; run packaging/setup.sh" >&2
  exit 1
fi
cmake -S "$source_dir" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DMM_FUZZ=ON -DBUILD_TESTING=OFF > "$build_dir.configure.log" 2>&1 || { cat "$build_dir.configure.log"; exit 1; }
targets="fuzz_decimal fuzz_exact_json fuzz_portfolio_file fuzz_portfolio_drafts fuzz_accounts_config fuzz_binance_mark_prices fuzz_bybit_mark_prices fuzz_okx_mark_prices fuzz_hyperliquid_mark_prices fuzz_server_time fuzz_price_replay fuzz_account_snapshots fuzz_private_streams"
targets="$targets fuzz_key_permissions fuzz_tier_tables"
targets="$targets fuzz_order_answers fuzz_alert_settings fuzz_sound_file"
# shellcheck disable=SC2086
cmake --build "$build_dir" --target $targets

seeds="$build_dir/seeds"
rm -rf "$seeds" && mkdir -p "$seeds/decimal" "$seeds/json" "$seeds/replays" "$seeds/binance" "$seeds/bybit" "$seeds/okx" "$seeds/hyperliquid" "$seeds/servertime" "$seeds/accounts" "$seeds/private"
mkdir -p "$seeds/orders" "$seeds/alerts" "$seeds/sounds" && cp "$source_dir"/resources/sounds/*.wav "$seeds/sounds/" && cp "$source_dir"/tests/fuzz/seeds/orders/* "$seeds/orders/"
printf '{"rules":[{"kind":"distance","scope":"position","account":"a","symbol":"BTCUSDT","warning":10,"critical":5,"emergency":null,"rearm":1}],"cooldownSeconds":60,"sound":true,"volume":0.5,"webhookUrl":"http://127.0.0.1:9/h"}' > "$seeds/alerts/seed-1"
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
# Marks the parser accepts but whose figures leave the range: the monitor must refuse them, not throw.
frame binance '{"e":"markPriceUpdate","E":1,"s":"BTCUSDT","p":"99999999999999999999"}'
frame bybit '{"topic":"tickers.ETHUSDT","type":"snapshot","data":{"symbol":"ETHUSDT","markPrice":"12345678901234567890"},"ts":1}'
frame okx '{"arg":{"channel":"mark-price","instId":"ETH-USDT-SWAP"},"data":[{"instId":"ETH-USDT-SWAP","markPx":"99999999999999999999","ts":"1"}]}'
frame hyperliquid '{"channel":"activeAssetCtx","data":{"coin":"ETH","ctx":{"markPx":"500000000000000.5"}}}'

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

# Private stream frames, one per kind (tests/core/venues/tst_private_streams_protocol.cpp has more).
frame private '{"e":"ACCOUNT_UPDATE","E":1564745798939,"T":1564745798938,"a":{"m":"ORDER","B":[{"a":"USDT","wb":"122624.12345678","cw":"100.12345678","bc":"50.12345678"}],"P":[{"s":"BTCUSDT","pa":"-0.5","ep":"60000.5","bep":"0","cr":"200","up":"0","mt":"isolated","iw":"300","ps":"SHORT"}]}}'
frame private '{"e":"MARGIN_CALL","E":1587727187525,"cw":"3.16812045","p":[{"s":"ETHUSDT","ps":"LONG","pa":"1.327","mt":"CROSSED","iw":"0","mp":"187.17127","up":"-1.166074","mm":"1.614445"}]}'
frame private '{"e":"listenKeyExpired","E":"1736996475556","listenKey":"WsCMN0a4"}'
frame private '{"success":false,"ret_msg":"error:request expired","op":"auth","conn_id":"c"}'
frame private '{"id":"1","topic":"position","creationTime":1697682317044,"data":[{"positionIdx":0,"tradeMode":1,"symbol":"ETHUSDT","side":"Sell","size":"1.50","entryPrice":"3000","leverage":"10","markPrice":"3100.5","positionBalance":"310","positionMM":"15.5","liqPrice":"4100.2","category":"linear"}]}'
frame private '{"id":"2","topic":"wallet","creationTime":1,"data":[{"accountType":"UNIFIED","accountMMRate":"0.0026","totalWalletBalance":"10000","totalMarginBalance":"10010","totalMaintenanceMargin":"26.5","coin":[{"coin":"USDT","walletBalance":"10000"}]}]}'
frame private '{"event":"error","code":"60024","msg":"Wrong passphrase","connId":"a4d3ae55"}'
frame private '{"arg":{"channel":"positions","uid":"1","instType":"SWAP"},"eventType":"snapshot","curPage":1,"lastPage":true,"data":[{"instType":"SWAP","instId":"BTC-USDT-SWAP","mgnMode":"isolated","posSide":"net","pos":"-25","avgPx":"64000","markPx":"63500.5","liqPx":"80000.1","mgnRatio":"120.5","mmr":"25.4","margin":"80","lever":"20","pTime":"1"}]}'
frame private '{"arg":{"channel":"liquidation-warning","uid":"1","instType":"SWAP"},"data":[{"instId":"BTC-USDT-SWAP","instType":"SWAP","lever":"20","markPx":"79000.5","mgnMode":"cross","mgnRatio":"1.05","pos":"2","posSide":"long","pTime":"1"}]}'

# API-key permission answers and tier tables (tests/core/venues/tst_key_permissions.cpp and
# tst_tier_tables.cpp have the documented samples).
mkdir -p "$seeds/keys" "$seeds/tiers"
frame keys '{"ipRestrict":false,"createTime":1623840271000,"enableReading":true,"enableWithdrawals":false,"enableInternalTransfer":true,"enableMargin":false,"enableFutures":false}'
frame keys '{"retCode":0,"retMsg":"","result":{"id":"13770661","apiKey":"XXXXXX","readOnly":0,"secret":"","permissions":{"ContractTrade":["Order","Position"],"Spot":["SpotTrade"],"Wallet":["AccountTransfer","Withdraw"],"Derivatives":["DerivativesTrade"]},"ips":["*"],"type":1},"retExtInfo":{},"time":1697525990798}'
frame keys '{"code":"0","data":[{"acctLv":"2","ip":"117.37.203.58,117.37.203.57","label":"v5 test","perm":"read_only,withdraw,trade","posMode":"long_short_mode","uid":"44705892343619584"}],"msg":""}'
frame tiers '[{"symbol":"ETHUSDT","notionalCoef":1.50,"brackets":[{"bracket":1,"initialLeverage":75,"notionalCap":10000,"notionalFloor":0,"maintMarginRatio":0.0065,"cum":0.0},{"bracket":2,"initialLeverage":50,"notionalCap":50000,"notionalFloor":10000,"maintMarginRatio":0.01,"cum":35}]}]'
frame tiers '{"retCode":0,"retMsg":"OK","result":{"category":"linear","list":[{"id":1,"symbol":"BTCUSDT","riskLimitValue":"300000","maintenanceMargin":"0.0033","initialMargin":"0.0066","isLowestRisk":1,"maxLeverage":"150.00","mmDeduction":""},{"id":2,"symbol":"BTCUSDT","riskLimitValue":"2000000","maintenanceMargin":"0.005","initialMargin":"0.01","isLowestRisk":0,"maxLeverage":"100.00","mmDeduction":"510"}],"nextPageCursor":""},"retExtInfo":{},"time":1}'
frame tiers '{"code":"0","msg":"","data":[{"baseMaxLoan":"","imr":"0.008","instFamily":"BTC-USDT","instId":"","maxLever":"125","maxSz":"500","minSz":"0","mmr":"0.004","tier":"1","uly":"BTC-USDT"},{"imr":"0.01","instFamily":"BTC-USDT","maxLever":"100","maxSz":"2000","minSz":"501","mmr":"0.005","tier":"2"}]}'

# Price recordings: a good one, and the tests' broken ones.
printf 'time,symbol,mark\n1700000000,BTCUSDT,64000\n1700000000.5,BTC-USDT-SWAP,63990.5\n1700000002,BTCUSDT,63000\n' > "$seeds/replays/good.csv"
cp "$source_dir"/tests/integration/replays/*.csv "$seeds/replays/"

count=$(echo $targets | wc -w)
seconds=$(( total_seconds / count ))
if [ "$seconds" -lt 5 ]; then seconds=5; fi
echo "run_fuzzers: $count targets, ${seconds}s each (${total_seconds}s in all)"
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
    fuzz_private_streams) seed="$seeds/private" ;;
    fuzz_key_permissions) seed="$seeds/keys" ;;
    fuzz_tier_tables) seed="$seeds/tiers" ;;
    fuzz_order_answers) seed="$seeds/orders" ;;
    fuzz_alert_settings) seed="$seeds/alerts" ;;
    fuzz_sound_file) seed="$seeds/sounds" ;;
    *) seed="$seeds/json" ;;
  esac
  echo "run_fuzzers: $target for ${seconds}s"
  if ! (cd "$build_dir" && "./tests/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
          -print_final_stats=1 "$corpus" "$seed" 2>&1 | tail -n 12); then
    status=1
  fi
done
exit $status
