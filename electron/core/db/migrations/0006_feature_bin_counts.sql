CREATE TABLE `feature_bin_counts` (
	`model_version` text NOT NULL,
	`month` text NOT NULL,
	`feature` text NOT NULL,
	`bin` integer NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`model_version`, `month`, `feature`, `bin`)
);
