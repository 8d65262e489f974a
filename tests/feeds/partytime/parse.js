// Reads an RSS feed on stdin, prints what the Podcast Index's parser makes of it as JSON.
const pt = require("podcast-partytime");

let xml = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (xml += chunk));
process.stdin.on("end", () => {
  const feed = pt.parseFeed(xml, { allowMissingGuid: false });
  process.stdout.write(JSON.stringify(feed === null ? null : feed));
});
